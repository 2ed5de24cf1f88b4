// The page's stylesheet and icon, imported as text (`with { type: "text" }`) by page.ts.
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*.svg" {
  const text: string;
  export default text;
}

// app.js runs in the browser; the daemon only imports its text (`with { type: "text" }` in page.ts).
declare const text: string;
export default text;

// The codecs are typed in src/cli/codec.ts, with the types in ./types.
export declare const todo: any;
export declare const google: any;

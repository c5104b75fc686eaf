// Types of engine/build.cjs (plain JavaScript: it runs before anything is compiled).
export declare const ENTRIES: Record<"program" | "providers" | "api", string>;
/** Compiles every entry into root/dist; resolves with the number of source files. */
export declare function build(root: string): Promise<number>;
/** Builds when dist/ is missing or out of date; resolves with what it did, or undefined. */
export declare function ensureBuilt(root: string): Promise<string | undefined>;
/** The compiled module, after checking no source changed since it was compiled. */
export declare function load(root: string, name: "program" | "providers"): unknown;
/** Why root/dist (or only its output `name`) cannot be used as is, or undefined when it is current. */
export declare function staleness(root: string, checkToolchain: boolean, name?: "program" | "providers"): string | undefined;
/** Throws, with the command to run, when a source of root/dist/<name>.js changed since it was compiled. */
export declare function assertCurrent(root: string, name: "program" | "providers"): void;
/** True when root is the mailform package installed in a project's node_modules, not a checkout. */
export declare function installed(root: string): boolean;

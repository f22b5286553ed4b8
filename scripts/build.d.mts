/** Types of scripts/build.mjs, for the tests that import it. */
export declare const inputs: string[];
export declare const stampFile: string;
export declare function newest(path: string): number;
export declare function staleness(dir?: string): string | undefined;
export declare const knowledgeFile: string;
export declare const searchIndexFile: string;
export declare function knowledgeStale(dir?: string): Promise<boolean>;
export declare function build(dir?: string): Promise<number>;

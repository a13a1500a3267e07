/** Types for copy-ort-assets.mjs (imported by vite.config.ts and tests). */
export declare const ORT_FILES: string[];
export declare function ortDistDir(): string;
export declare function copyOrtAssets(publicDir: string): string[];

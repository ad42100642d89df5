/** Types of pglite-engine.mjs (plain JavaScript: it also runs in the worker thread). */
export interface PGliteEngineInstance {
  /** Still in memory (memoryFirst before persist). */
  readonly inMemory: boolean;
  query<R>(text: string, params: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  dumpDataDir(compression: 'gzip' | 'none'): Promise<Blob | File>;
  persist(): Promise<void>;
  close(): Promise<void>;
}

export function openEngine(options: { dataDir?: string; loadDataDir?: Blob | File; memoryFirst?: boolean }): Promise<PGliteEngineInstance>;

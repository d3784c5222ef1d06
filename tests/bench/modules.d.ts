// The benchmark peers ship no type declarations; only what the harness calls is typed here.
declare module 'pouchdb-browser' {
  type ReplicationResult = { docs_written: number; ok: boolean };
  class PouchDB {
    constructor(name: string);
    bulkDocs(docs: object[]): Promise<unknown[]>;
    destroy(): Promise<void>;
    replicate: {
      to(remote: string, opts?: object): Promise<ReplicationResult>;
      from(remote: string, opts?: object): Promise<ReplicationResult>;
    };
  }
  export default PouchDB;
}
declare module 'pouchdb-core';
declare module 'pouchdb-adapter-memory';
declare module 'express-pouchdb';
declare module 'express';
declare module 'autocannon';

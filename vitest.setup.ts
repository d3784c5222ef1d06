// Tests that touch IndexedDB get a fresh in-memory implementation (fake-indexeddb).
import 'fake-indexeddb/auto';

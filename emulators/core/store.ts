/**
 * In-memory vendor state: per vendor, named collections of JSON objects keyed by id, plus id
 * sequences. Everything is plain JSON so the whole store round-trips through the state file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { VENDORS, type VendorName } from "./types";

export type JsonObject = Record<string, unknown>;

export class Collection<T extends object = JsonObject> {
  constructor(private readonly items: Map<string, T>) {}

  get(id: string | number): T | undefined {
    return this.items.get(String(id));
  }

  has(id: string | number): boolean {
    return this.items.has(String(id));
  }

  /** All objects in insertion order. */
  list(): T[] {
    return [...this.items.values()];
  }

  set(id: string | number, value: T): T {
    this.items.set(String(id), value);
    return value;
  }

  delete(id: string | number): T | undefined {
    const key = String(id);
    const value = this.items.get(key);
    this.items.delete(key);
    return value;
  }

  get size(): number {
    return this.items.size;
  }
}

interface VendorData {
  collections: Map<string, Map<string, JsonObject>>;
  sequences: Map<string, number>;
}

export class VendorStore {
  constructor(private readonly data: VendorData) {}

  collection<T extends object = JsonObject>(name: string): Collection<T> {
    let items = this.data.collections.get(name);
    if (!items) {
      items = new Map();
      this.data.collections.set(name, items);
    }
    return new Collection(items as unknown as Map<string, T>);
  }

  collectionNames(): string[] {
    return [...this.data.collections.keys()];
  }

  hasCollection(name: string): boolean {
    return this.data.collections.has(name);
  }

  /** The next integer of a named sequence; the first value is `start`. Never reused. */
  nextId(sequence: string, start = 1): number {
    const last = this.data.sequences.get(sequence);
    const next = last === undefined ? start : last + 1;
    this.data.sequences.set(sequence, next);
    return next;
  }
}

export interface StateFileV1 {
  format: "mailform-emulator-state";
  version: 1;
  savedAt: string;
  vendors: Record<
    string,
    /** Each collection as `[id, object]` pairs in insertion order (list order is preserved). */
    { collections: Record<string, [string, JsonObject][]>; sequences: Record<string, number> }
  >;
}

export class Store {
  private vendors!: Map<VendorName, VendorData>;

  constructor() {
    this.reset(true);
  }

  vendor(name: VendorName): VendorStore {
    return new VendorStore(this.vendors.get(name)!);
  }

  /**
   * Empties every collection. Id sequences carry on unless `sequences` is true, so an id handed
   * out before a reset never names a different object after it (as in a real database).
   */
  reset(sequences = false): void {
    const previous = this.vendors;
    this.vendors = new Map(
      VENDORS.map((v) => [
        v,
        { collections: new Map(), sequences: sequences || !previous ? new Map() : new Map(previous.get(v)!.sequences) },
      ]),
    );
  }

  serialize(): StateFileV1 {
    const vendors: StateFileV1["vendors"] = {};
    for (const [name, data] of this.vendors) {
      const collections: Record<string, [string, JsonObject][]> = {};
      for (const [collection, items] of data.collections) collections[collection] = [...items.entries()];
      vendors[name] = { collections, sequences: Object.fromEntries(data.sequences) };
    }
    return { format: "mailform-emulator-state", version: 1, savedAt: new Date().toISOString(), vendors };
  }

  /** Replaces all state with the serialized form; throws on a document of another shape. */
  load(state: unknown): void {
    const doc = state as Partial<StateFileV1> | null;
    if (!doc || doc.format !== "mailform-emulator-state" || doc.version !== 1 || typeof doc.vendors !== "object") {
      throw new Error("not a mailform emulator state file (expected format mailform-emulator-state, version 1)");
    }
    this.reset(true);
    for (const [name, data] of Object.entries(doc.vendors)) {
      const target = this.vendors.get(name as VendorName);
      if (!target) continue;
      for (const [collection, items] of Object.entries(data.collections ?? {})) {
        target.collections.set(collection, new Map(items.map(([id, item]) => [String(id), item])));
      }
      for (const [sequence, value] of Object.entries(data.sequences ?? {})) target.sequences.set(sequence, value);
    }
  }

  saveTo(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.serialize(), null, 2) + "\n");
    renameSync(tmp, file);
  }

  loadFrom(file: string): void {
    this.load(JSON.parse(readFileSync(file, "utf8")));
  }
}

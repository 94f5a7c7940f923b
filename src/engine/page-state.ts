import type { IdmObject } from '../store/idm-model';
import type { ShadowDoc } from '../store/shadows';

/**
 * The working state of one page: IDM objects and shadows as loaded, plus what the page's entries changed.
 * Each entry runs in its own transaction: a failing entry leaves nothing behind (SPEC.md §5: "nothing is written
 * for it"), a succeeding one is merged so later entries of the page see its effects.
 */
export class PageState {
  /** the objects as loaded (for correlation-key diffs); null = known not to exist */
  readonly loaded = new Map<string, IdmObject | null>();
  readonly objects = new Map<string, IdmObject | null>();
  readonly shadows = new Map<string, ShadowDoc>();
  readonly touchedObjects = new Set<string>();
  readonly touchedShadows = new Set<string>();
  /** shadows this page creates (no stored document yet): written with an insert, the fast path on FerretDB */
  readonly newShadows = new Set<string>();

  load(objects: Map<string, IdmObject>, ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.loaded.has(id)) continue;
      const o = objects.get(id) ?? null;
      this.loaded.set(id, o);
      this.objects.set(id, o);
    }
  }

  begin(): EntryTx {
    return new EntryTx(this);
  }
}

export class EntryTx {
  private readonly objects = new Map<string, IdmObject | null>();
  private readonly shadows = new Map<string, ShadowDoc>();

  constructor(private readonly page: PageState) {}

  object(id: string): IdmObject | null {
    if (this.objects.has(id)) return this.objects.get(id)!;
    return this.page.objects.get(id) ?? null;
  }

  putObject(o: IdmObject): void {
    this.objects.set(o.id, o);
  }

  deleteObject(id: string): void {
    this.objects.set(id, null);
  }

  shadow(id: string): ShadowDoc | undefined {
    return this.shadows.get(id) ?? this.page.shadows.get(id);
  }

  putShadow(s: ShadowDoc): void {
    this.shadows.set(s._id, s);
  }

  commit(): void {
    for (const [id, o] of this.objects) {
      if (!this.page.loaded.has(id)) this.page.loaded.set(id, null);
      this.page.objects.set(id, o);
      this.page.touchedObjects.add(id);
    }
    for (const [id, s] of this.shadows) {
      this.page.shadows.set(id, s);
      this.page.touchedShadows.add(id);
    }
  }
}

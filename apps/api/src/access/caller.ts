import { ApiError } from '../graphql/api-error';
import { SCOPES, type Scope } from './scopes';

/** Who is asking: an API key's grants, or anyone (open mode: no keys exist). */
export class Caller {
  constructor(
    /** The key's id; null in open mode. */
    readonly keyId: string | null,
    readonly scopes: ReadonlySet<Scope>,
    /** The projects it may touch; null for every project. */
    readonly projects: ReadonlySet<string> | null,
  ) {}

  static readonly OPEN = new Caller(null, new Set(SCOPES), null);

  /** Limited to some projects (entities of others, and of no known project, are hidden). */
  get restricted(): boolean {
    return this.projects !== null;
  }

  /** Who this is in messages (never the secret). */
  get label(): string {
    return this.keyId === null ? 'open mode' : `API key ${this.keyId}`;
  }

  /** Identical for callers that see the same things (shared subscription executions). */
  get grantKey(): string {
    return this.projects === null ? '*' : JSON.stringify([...this.projects].sort());
  }

  has(scope: Scope): boolean {
    return this.scopes.has(scope);
  }

  /** Why `what` is refused for want of `scope`, or null when the caller has it. */
  lacks(scope: Scope, what: string): string | null {
    return this.has(scope)
      ? null
      : `${what} needs the ${scope} scope; ${this.label} has ${[...this.scopes].join(', ')}`;
  }

  require(scope: Scope, what: string): void {
    const refused = this.lacks(scope, what);
    if (refused) throw new ApiError('FORBIDDEN', refused);
  }

  /**
   * Whether an entity of these projects is visible: '{}' (catalog) to all, null (not known
   * yet) only to callers of every project, otherwise every project must be granted.
   */
  sees(projects: readonly string[] | null): boolean {
    if (this.projects === null) return true;
    if (projects === null) return false;
    return projects.every((project) => this.projects!.has(project));
  }

  mayWriteProject(project: string): boolean {
    return this.projects === null || this.projects.has(project);
  }
}

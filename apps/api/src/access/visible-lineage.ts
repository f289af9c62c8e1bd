import type { Loaders } from '../graphql/loaders';
import type { LinkGroup } from '../reads/lineage/lineage-links.sql';
import type { Expand } from '../reads/lineage/lineage-walk';
import { ENTITY_TYPES, nodeRefs } from './access-policy';
import type { Caller } from './caller';
import { seesAll } from './project-visibility';

/**
 * Lineage expansions as a restricted caller may walk them: nodes of other projects are not
 * entered (so they neither use the node budget nor lead further, and a truncated answer does
 * not hint at them), and fan-out counts that span projects are left out. The answer filter
 * still checks what comes back.
 */
export function visibleExpansions(caller: Caller, loaders: Loaders, expand: Expand): Expand {
  if (!caller.restricted) return expand;
  const groupRefs = ENTITY_TYPES.LineageGroup;
  return async (nodes, direction) => {
    const expansion = await expand(nodes, direction);
    const reached = [
      ...new Set(expansion.links.map((link) => (direction === 'up' ? link.dst : link.src))),
    ];
    const seen = await Promise.all(reached.map((node) => seesAll(caller, loaders, nodeRefs(node))));
    const hidden = new Set(reached.filter((_, index) => !seen[index]));
    const groupSeen = await Promise.all(
      expansion.groups.map(async (group: LinkGroup) => {
        const refs = groupRefs(group);
        return refs !== null && (await seesAll(caller, loaders, refs));
      }),
    );
    return {
      links: expansion.links.filter(
        (link) => !hidden.has(direction === 'up' ? link.dst : link.src),
      ),
      groups: expansion.groups.filter((_, index) => groupSeen[index]),
    };
  };
}

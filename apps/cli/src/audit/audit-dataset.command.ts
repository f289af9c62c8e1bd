import type { TrackerConfig } from '@tracker/config';
import { openDatabase } from '@tracker/read-model';
import { auditDatasetVersion } from '../../../api/src/reads/audit/dataset-audit.query';
import { formatDatasetAudit } from './format-dataset-audit';

export const AUDIT_USAGE = `usage: tracker audit dataset DATASET@VERSION [--as-of TIME] [--json]`;

/** Exit codes: 0 verified and without findings, 1 anything found, 2 usage error or unknown version. */
export const AUDIT_EXIT = { clean: 0, findings: 1, usage: 2 } as const;

export class AuditUsageError extends Error {}

export interface AuditDatasetArguments {
  datasetId: string;
  version: number;
  asOf: Date | null;
  json: boolean;
}

/** Parses `dataset ID@VERSION [--as-of TIME] [--json]`; AuditUsageError says what is wrong. */
export function parseAuditArguments(args: readonly string[]): AuditDatasetArguments {
  const [what, ref, ...rest] = args;
  if (what !== 'dataset')
    throw new AuditUsageError(
      what === undefined
        ? 'what to audit is missing'
        : `cannot audit ${JSON.stringify(what)}: only "dataset"`,
    );
  if (ref === undefined || ref.startsWith('--'))
    throw new AuditUsageError('DATASET@VERSION is missing');
  // Dataset ids may hold "@" themselves: the version follows the last one.
  const at = ref.lastIndexOf('@');
  const versionText = at > 0 ? ref.slice(at + 1) : '';
  const version = Number(versionText);
  if (!/^\d+$/.test(versionText) || version < 1 || version > 2_147_483_647)
    throw new AuditUsageError(
      `${JSON.stringify(ref)} is not DATASET@VERSION with VERSION an integer from 1 (e.g. sft-core@3)`,
    );
  let asOf: Date | null = null;
  let json = false;
  for (let index = 0; index < rest.length; index += 1) {
    const option = rest[index];
    if (option === '--json') json = true;
    else if (option === '--as-of') {
      const text = rest[(index += 1)];
      asOf = text === undefined ? null : new Date(text);
      if (asOf === null || Number.isNaN(asOf.getTime()))
        throw new AuditUsageError(
          `--as-of: ${JSON.stringify(text ?? '')} is not a date-time (e.g. 2026-11-20T12:00:00Z)`,
        );
    } else throw new AuditUsageError(`unknown option ${JSON.stringify(option)}`);
  }
  return { datasetId: ref.slice(0, at), version, asOf, json };
}

/**
 * `tracker audit dataset ID@VERSION`: audits the version straight from the database (the query
 * the GraphQL datasetAudit answers with), prints it and returns the exit code.
 */
export async function auditDatasetCommand(
  args: readonly string[],
  config: TrackerConfig,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let parsed: AuditDatasetArguments;
  try {
    parsed = parseAuditArguments(args);
  } catch (error) {
    if (!(error instanceof AuditUsageError)) throw error;
    err(`${error.message}\n${AUDIT_USAGE}\n`);
    return AUDIT_EXIT.usage;
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const audit = await auditDatasetVersion(database.pool, {
      datasetId: parsed.datasetId,
      version: parsed.version,
      asOf: parsed.asOf,
    });
    if (!audit) {
      err(
        `dataset ${JSON.stringify(parsed.datasetId)} has no version ${parsed.version}${parsed.asOf ? ` as of ${parsed.asOf.toISOString()}` : ''}\n`,
      );
      return AUDIT_EXIT.usage;
    }
    out(parsed.json ? `${JSON.stringify(audit, null, 2)}\n` : formatDatasetAudit(audit));
    return audit.verified && audit.findings.length === 0 ? AUDIT_EXIT.clean : AUDIT_EXIT.findings;
  } finally {
    await database.close();
  }
}

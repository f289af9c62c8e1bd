import {
  BadRequestException,
  Controller,
  ForbiddenException,
  Get,
  Inject,
  NotFoundException,
  Param,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { Readable } from 'node:stream';
import { requestCaller, type AuthenticatedRequest } from '../access/http-authentication';
import { projectsOf } from '../access/project-visibility';
import type { DatasetMemberRow } from '../reads/datasets/dataset-version.model';
import { exportedMemberPages, prepareMemberExport } from '../reads/datasets/member-export.query';

/** What the handler sets on the (Express) response before the body streams. */
interface ResponseHeaders {
  setHeader(name: string, value: string): unknown;
}

const MAX_VERSION = 2_147_483_647;

const line = (row: DatasetMemberRow) =>
  `${JSON.stringify({
    memberId: row.member_id,
    memberKind: row.member_kind,
    addedByEventId: row.event_id,
    position: row.position,
  })}\n`;

/**
 * A version's members as NDJSON, in code point order of their ids, streamed a page at a time.
 * The headers carry the sealed and the computed content hash so that a training job can hash
 * the ids it read (sorted as they come, joined by "\n") and compare.
 */
@Controller('v1/datasets')
export class DatasetMembersExportController {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  @Get(':datasetId/versions/:version/members')
  async members(
    @Param('datasetId') datasetId: string,
    @Param('version') versionText: string,
    @Res({ passthrough: true }) response: ResponseHeaders,
    @Req() request: AuthenticatedRequest,
  ): Promise<StreamableFile> {
    const version = Number(versionText);
    if (!/^\d+$/.test(versionText) || version < 1 || version > MAX_VERSION) {
      throw new BadRequestException(
        `version: must be an integer from 1 to ${MAX_VERSION} (got ${JSON.stringify(versionText)})`,
      );
    }
    const { pool } = this.database;
    const caller = requestCaller(request);
    const refused = caller.lacks('read', 'reading a dataset');
    if (refused) throw new ForbiddenException(refused);
    const [projects] = await projectsOf(pool, [
      { kind: 'dataset_version', id: `${datasetId}@${version}` },
    ]);
    if (!caller.sees(projects)) {
      // The same answer as for a version that does not exist: nothing leaks about others.
      throw new NotFoundException(`dataset ${JSON.stringify(datasetId)} has no version ${version}`);
    }
    const members = await prepareMemberExport(pool, { datasetId, version });
    if (!members)
      throw new NotFoundException(`dataset ${JSON.stringify(datasetId)} has no version ${version}`);
    response.setHeader('X-Dataset-Sealed', String(members.sealed));
    if (members.sealed) {
      response.setHeader('X-Dataset-Sealed-Content-Hash', members.sealedContentHash ?? '');
      response.setHeader('X-Dataset-Sealed-Member-Count', String(members.sealedMemberCount));
    }
    response.setHeader('X-Dataset-Computed-Content-Hash', members.content.hash);
    response.setHeader('X-Dataset-Member-Count', String(members.content.count));
    response.setHeader('X-Dataset-Through-Position', members.cut.through);
    const { cut } = members;
    async function* lines() {
      for await (const rows of exportedMemberPages(pool, cut)) yield rows.map(line).join('');
    }
    return new StreamableFile(Readable.from(lines()), {
      type: 'application/x-ndjson; charset=utf-8',
    });
  }
}

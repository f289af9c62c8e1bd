import { Module } from '@nestjs/common';
import { ProjectorService } from './projector.service';

/** The log consumer; needs PlatformModule (config, database, log) imported by the root. */
@Module({ providers: [ProjectorService] })
export class ProjectorModule {}

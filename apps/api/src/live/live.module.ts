import { Module } from '@nestjs/common';
import { LiveService } from './live.service';

/** The live side of the API (see LiveService), also given to the GraphQL module's setup. */
@Module({ providers: [LiveService], exports: [LiveService] })
export class LiveModule {}

import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';

@Controller('health')
export class HealthController {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  @Get()
  async health(): Promise<{ status: 'ok' }> {
    try {
      await this.database.pool.query('SELECT 1');
    } catch (error) {
      throw new ServiceUnavailableException(`database unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok' };
  }
}

import { join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { repositoryRoot } from '@tracker/config';

const WEB = join(repositoryRoot(__dirname), 'apps/api/web');

/** What this controller uses of Express's response. */
interface Response {
  type(type: string): Response;
  sendFile(path: string): void;
}

/** The only files served: named here, so no request path reaches the file system. */
const FILES: Record<string, { path: () => string; type: string }> = {
  'app.js': { path: () => join(WEB, 'app.js'), type: 'text/javascript' },
  'style.css': { path: () => join(WEB, 'style.css'), type: 'text/css' },
  'assets/uPlot.iife.min.js': {
    path: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript',
  },
  'assets/uPlot.min.css': {
    path: () => require.resolve('uplot/dist/uPlot.min.css'),
    type: 'text/css',
  },
};

/** The page at `/`: runs, and live reward curves, critic agreement and finish reasons of one. */
@Controller()
export class WebController {
  @Get()
  index(@Res() response: Response): void {
    response.type('text/html').sendFile(join(WEB, 'index.html'));
  }

  @Get('ui/:file')
  file(@Param('file') name: string, @Res() response: Response): void {
    this.send(name, response);
  }

  @Get('ui/assets/:file')
  asset(@Param('file') name: string, @Res() response: Response): void {
    this.send(`assets/${name}`, response);
  }

  private send(name: string, response: Response): void {
    const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
    if (!file) throw new NotFoundException(`no page file ${name}`);
    response.type(file.type).sendFile(file.path());
  }
}

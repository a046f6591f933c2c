import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../../config/app-config';
import { ApiError } from '../api-error';

/**
 * The console's own policy: everything from this origin only — no inline script or style, no outside
 * asset, font or connection (images may also be inline `data:` URIs, which fetch nothing). Stricter than
 * the service-wide CSP, which lets the OpenAPI page at /docs run its inline start-up script.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names built assets by content hash: they never change, so browsers may keep them a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html (and other unhashed files) are revalidated every time, so a new build is seen at once. */
const REVALIDATE = 'no-cache';

/**
 * Serves the built web console (`dist/console`, from `npm run build`) at /console: files as they are,
 * `index.html` for `/console` and for any other path the app routes itself (deep links), 404 for a
 * missing file that looks like one (an extension, or under assets/).
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleStaticController {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.consoleDir);
  }

  @Get()
  index(@Res() res: Response): void {
    this.sendIndex(res);
  }

  @Get('*path')
  file(@Req() req: Request, @Res() res: Response): void {
    let relative: string;
    try {
      relative = decodeURIComponent(req.path.replace(/^\/console\/?/, ''));
    } catch {
      throw new ApiError(400, 'bad_path', 'the path is not valid percent-encoding');
    }
    if (relative === '' || relative === 'index.html') return this.sendIndex(res);
    const segments = relative.split('/');
    if (relative.includes('\0') || relative.includes('\\') || segments.some((s) => s === '..' || s.startsWith('.')))
      throw notFound(relative);
    const file = join(this.root, ...segments);
    if (file.startsWith(this.root + sep) && isFile(file))
      return this.send(res, file, segments[0] === 'assets' ? IMMUTABLE : REVALIDATE);
    if (segments[0] === 'assets' || /\.[A-Za-z0-9]+$/.test(segments.at(-1) ?? '')) throw notFound(relative);
    this.sendIndex(res);
  }

  private sendIndex(res: Response): void {
    const index = join(this.root, 'index.html');
    if (!isFile(index))
      throw new ApiError(404, 'console_not_built', `the web console is not built (no ${index}): run npm run build`);
    this.send(res, index, REVALIDATE);
  }

  private send(res: Response, file: string, cacheControl: string): void {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('Cache-Control', cacheControl);
    res.sendFile(file, { cacheControl: false, dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) res.status(404).json({ error: 'not_found', message: 'no such console file' });
    });
  }
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

const notFound = (relative: string) => new ApiError(404, 'not_found', `no console file ${relative.slice(0, 200)}`);

import { unlink } from 'node:fs';
import { tmpdir } from 'node:os';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';

/** The largest import file a page takes: years of a force's cases as JSON lines or CSV. */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/**
 * A file chosen in a form (the import page): streamed to a temporary file, never held in memory, with the form's
 * other fields (its CSRF token among them, so the token check that follows sees it). Only for someone signed in, and
 * the file is removed when the response has gone, whatever happened.
 */
export function fileUpload(paths: string[]): RequestHandler {
  const parse = multer({ dest: tmpdir(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !paths.includes(req.path) || !req.is('multipart/form-data') || !req.session?.principal) return next();
    res.on('close', () => { if (req.file) unlink(req.file.path, () => undefined); });
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const tooLarge = (err as { code?: string }).code === 'LIMIT_FILE_SIZE';
      res.status(tooLarge ? 413 : 400).render('errors/error.njk', {
        pageTitle: tooLarge ? 'That file is too large' : 'That file could not be read', status: tooLarge ? 413 : 400,
        message: tooLarge ? 'Import files are up to 512 MB: split the file by year or by unit.' : 'Choose the file again and send it once more.',
      });
    });
  };
}

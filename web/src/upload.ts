// Evidence files of any size (body-camera videos), resumable: tus 1.0 against /api/v1/evidence/uploads.
// A broken connection is retried from the last byte the server acknowledged; after a page reload the
// same file (same name, type, size, modification time) resumes from where it stopped, because
// tus-js-client keeps the upload's URL in localStorage under the file's fingerprint.
import { Upload, type DetailedError, type HttpResponse } from 'tus-js-client';
import { API_BASE, ApiError, getCsrfToken, request, toApiError, type Problem } from './api.ts';

export interface UploadedEvidence {
  sha256: string;
  size: number;
  mediaType: string;
}

/** Large enough for few round trips, small enough that a lost chunk costs little on a mobile link. */
const CHUNK_SIZE = 8 * 1024 * 1024;

const normaliseMediaType = (t: string) => t.split(';')[0]!.trim().toLowerCase();

function problemOf(res: HttpResponse | null): { status: number; problem: Problem } | null {
  if (!res) return null;
  const status = res.getStatus();
  try {
    const body = JSON.parse(res.getBody()) as Problem;
    if (body && typeof body === 'object' && (body.title || body.detail)) return { status, problem: body };
  } catch {
    /* not problem+json */
  }
  return { status, problem: { title: '上传失败', detail: `服务器返回错误（HTTP ${status}），请稍后重试。` } };
}

function toUploadError(e: unknown): ApiError {
  const res = (e as DetailedError | null)?.originalResponse ?? null;
  const p = problemOf(res);
  if (p && p.status > 0) return new ApiError(p.status, p.problem);
  if (e instanceof ApiError) return e;
  if ((e as DetailedError | null)?.originalRequest) {
    return new ApiError(0, { title: '网络错误', detail: '上传中断：无法连接服务器。已上传的部分已保存，网络恢复后重新选择同一文件即可续传。' });
  }
  return toApiError(e);
}

/**
 * Uploads `file` to the evidence store and resolves with its SHA-256 once the server has stored it
 * (R-R05). `onProgress` reports bytes sent so far; `signal` pauses the upload (the
 * part already sent stays on the server and is resumed by the next call with the same file).
 */
export async function uploadEvidence(
  file: File,
  opts: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal },
): Promise<{ sha256: string; size: number; mediaType: string }> {
  if (opts.signal?.aborted) throw new DOMException('上传已取消', 'AbortError');
  const mediaType = normaliseMediaType(file.type || 'application/octet-stream');
  const endpoint = new URL(`${API_BASE}/evidence/uploads`, window.location.href).toString();

  return new Promise<UploadedEvidence>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    const upload = new Upload(file, {
      endpoint,
      chunkSize: CHUNK_SIZE,
      // Keep trying through short outages; 4xx refusals (size, type, login, ownership) are final.
      retryDelays: [0, 1000, 3000, 5000, 10_000, 20_000, 30_000],
      metadata: { filename: file.name, filetype: mediaType },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // Cookie-authenticated writes must carry the CSRF token (read when each request is made, so a
      // renewed session is picked up between retries).
      onBeforeRequest(req) {
        const token = getCsrfToken();
        if (token) req.setHeader('X-CSRF-Token', token);
        req.setHeader('Accept', 'application/json, application/problem+json');
      },
      onProgress(sent, total) {
        opts.onProgress?.(sent, total);
      },
      onSuccess({ lastResponse }) {
        const sha256 = lastResponse.getHeader('X-Evidence-Sha256');
        if (sha256) return finish(() => resolve({ sha256, size: file.size, mediaType }));
        // Not in the last response (e.g. an older server answer): ask for the stored result.
        const id = (upload.url ?? '').split('/').pop() ?? '';
        request<UploadedEvidence>(`/evidence/uploads/${encodeURIComponent(id)}/result`).then(
          (r) => finish(() => resolve({ sha256: r.sha256, size: r.size, mediaType: r.mediaType })),
          (e: unknown) => finish(() => reject(toApiError(e))),
        );
      },
      onError(e) {
        finish(() => reject(toUploadError(e)));
      },
    });

    function onAbort() {
      // Not terminated: the bytes already on the server stay there for the next attempt.
      void upload.abort(false);
      finish(() => reject(new DOMException('上传已取消', 'AbortError')));
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    upload
      .findPreviousUploads()
      .then((previous) => {
        if (settled) return;
        const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
        if (last) upload.resumeFromPreviousUpload(last);
        upload.start();
      })
      .catch((e: unknown) => finish(() => reject(toUploadError(e))));
  });
}

// One error type with a code table (Documenso's way): programs read the stable `type`,
// people read the Chinese title and detail. HTTP renders every AppError as RFC 9457 problem+json.

export const ERROR_CODES = {
  validation: { status: 400, title: '请求数据不合法' },
  bad_request: { status: 400, title: '请求无法处理' },
  unsupported_media_type: { status: 415, title: '不支持的内容类型' },
  payload_too_large: { status: 413, title: '上传内容过大' },
  request_timeout: { status: 408, title: '请求超时' },
  uri_too_long: { status: 414, title: '请求地址过长' },
  headers_too_large: { status: 431, title: '请求头过大' },
  range_not_satisfiable: { status: 416, title: '请求的范围无法满足' },
  unauthenticated: { status: 401, title: '未登录或登录已失效' },
  invalid_credentials: { status: 401, title: '用户名或密码错误' },
  second_factor_required: { status: 401, title: '需要动态口令' },
  invalid_second_factor: { status: 401, title: '动态口令错误' },
  account_locked: { status: 423, title: '账户已临时锁定' },
  too_many_requests: { status: 429, title: '请求过于频繁' },
  csrf_failed: { status: 403, title: '跨站请求校验失败' },
  forbidden: { status: 403, title: '无权执行此操作' },
  password_change_required: { status: 403, title: '请先修改临时密码' },
  not_found: { status: 404, title: '未找到' },
  conflict: { status: 409, title: '数据冲突' },
  duplicate: { status: 409, title: '数据重复' },
  invalid_state: { status: 409, title: '当前状态不允许此操作' },
  import_invalid: { status: 422, title: '导入文件有错误，未导入任何数据' },
  data_dir_locked: { status: 503, title: '数据目录已被占用' },
  internal: { status: 500, title: '服务器内部错误' },
  // issue 13 (assist)
  discretion_refused: { status: 422, title: '裁量不符合法定幅度或裁量基准' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path of the field, e.g. `creditCode` or `rows.3.name`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, opts: { detail?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(opts.detail ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.code = code;
    this.detail = opts.detail ?? ERROR_CODES[code].title;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toProblem(instance?: string) {
    return {
      type: `urn:sanxiang:problem:${this.code}`,
      title: ERROR_CODES[this.code].title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.extra ?? {}),
    };
  }
}

export const notFound = (what: string) => new AppError('not_found', { detail: `${what}不存在或无权查看。` });
export const forbidden = (detail = '无权执行此操作。') => new AppError('forbidden', { detail });

/** PostgreSQL unique_violation → a Chinese conflict error naming what was duplicated. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return !constraint || e.constraint === constraint || (e.message ?? '').includes(constraint);
}

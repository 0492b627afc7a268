// An APIC session: aaaLogin with the user's name and password, the token as the APIC-cookie
// cookie on every request, aaaRefresh once half of refreshTimeoutSeconds has passed (as
// acitoolkit does), and a new login when APIC answers 403 (a token timed out or was dropped by a
// cluster member), once per request.
import { AdapterError } from '../../errors.js';
import type { Gate, JsonClient, JsonResponse } from '../rest-paging/json-client.js';

const SYSTEM = 'aci';

interface AaaLogin {
  imdata?: { aaaLogin?: { attributes?: { token?: string; refreshTimeoutSeconds?: string } } }[];
}

export class AciSession {
  private token: string | undefined;
  private refreshAfter = 0;
  private pending: Promise<void> | undefined;
  /** Logins and refreshes done, for tests and logs. */
  readonly stats = { logins: 0, refreshes: 0, relogins: 0 };

  constructor(
    private readonly client: JsonClient,
    private readonly base: URL,
    private readonly credentials: { username: string; password: string },
    private readonly now: () => number = () => Date.now(),
  ) {}

  url(path: string): URL {
    return new URL(path.replace(/^\/+/, ''), this.base);
  }

  async get(path: string, gate?: Gate): Promise<JsonResponse> {
    await this.ensure();
    try {
      return await this.client.getJson(this.url(path), gate, this.cookie());
    } catch (e) {
      if (!(e instanceof AdapterError) || e.status !== 403) throw e;
      this.stats.relogins++;
      this.token = undefined;
      await this.ensure();
      return this.client.getJson(this.url(path), gate, this.cookie());
    }
  }

  private cookie(): Record<string, string> {
    return { cookie: `APIC-cookie=${this.token ?? ''}` };
  }

  private ensure(): Promise<void> {
    if (this.token !== undefined && this.now() < this.refreshAfter) return Promise.resolve();
    this.pending ??= (this.token === undefined ? this.login() : this.refresh()).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async login(): Promise<void> {
    const body = { aaaUser: { attributes: { name: this.credentials.username, pwd: this.credentials.password } } };
    let res: JsonResponse;
    try {
      res = await this.client.sendJson('POST', this.url('aaaLogin.json'), body);
    } catch (e) {
      if (e instanceof AdapterError && e.status === 401) {
        throw new AdapterError(SYSTEM, `login refused at ${this.base.host} (HTTP 401); check the username and password configured for aci`, 401);
      }
      throw e;
    }
    this.stats.logins++;
    this.accept(res, 'aaaLogin');
  }

  private async refresh(): Promise<void> {
    try {
      const res = await this.client.getJson(this.url('aaaRefresh.json'), undefined, this.cookie());
      this.stats.refreshes++;
      this.accept(res, 'aaaRefresh');
    } catch (e) {
      if (!(e instanceof AdapterError) || e.status !== 403) throw e;
      // Too late to refresh: log in again.
      await this.login();
    }
  }

  private accept(res: JsonResponse, what: string): void {
    const attrs = (res.body as AaaLogin | null)?.imdata?.[0]?.aaaLogin?.attributes;
    const token = attrs?.token ?? cookieToken(res.headers['set-cookie']);
    if (!token) throw new AdapterError(SYSTEM, `${what} at ${this.base.host} answered without a token`);
    this.token = token;
    const timeout = Number(attrs?.refreshTimeoutSeconds ?? 600);
    this.refreshAfter = this.now() + (Number.isFinite(timeout) && timeout > 0 ? timeout : 600) * 500;
  }
}

function cookieToken(header: string | string[] | undefined): string | undefined {
  for (const h of Array.isArray(header) ? header : header ? [header] : []) {
    const m = /APIC-cookie=([^;]+)/i.exec(h);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The `policies` block of an API file (and of one route), as written and as the model keeps
 * it: every field optional. The gateway's policy factories fill the defaults (documented in
 * docs/gateway-policies.md) so that the schema's `default` annotations and the code agree in
 * one place per policy.
 */
import type { JsonSchema } from './model.ts';

export interface RateLimitTier {
  readonly perSecond?: number;
  readonly perMinute?: number;
  readonly perHour?: number;
  /** Requests allowed at once on the finest window; defaults to that window's limit. */
  readonly burst?: number;
}

export interface QuotaTier {
  readonly perDay?: number;
  readonly perMonth?: number;
}

/** Tiers keyed by the consumer's plan; `default` applies to consumers without a listed plan. */
export interface Tiered<T> {
  readonly default?: T;
  readonly plans?: Readonly<Record<string, T>>;
}

export interface IpFilterSettings {
  readonly allow?: readonly string[];
  readonly deny?: readonly string[];
}

export interface DenyRule {
  readonly in: 'path' | 'header' | 'body';
  /** Header name, for `in: header`. */
  readonly name?: string;
  readonly pattern: string;
}

export interface ThreatProtectionSettings {
  readonly maxBodyBytes?: number;
  readonly maxHeaderBytes?: number;
  readonly maxUrlLength?: number;
  readonly maxJsonDepth?: number;
  readonly maxJsonKeys?: number;
  readonly denyRules?: readonly DenyRule[];
}

export interface CorsSettings {
  readonly origins: readonly string[];
  readonly methods?: readonly string[];
  readonly headers?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly credentials?: boolean;
  readonly maxAgeSeconds?: number;
}

export interface ValidationSettings {
  /** Inline schemas; for a route that targets a system operation they replace that part of the operation's schema. */
  readonly body?: JsonSchema;
  readonly query?: JsonSchema;
  readonly params?: JsonSchema;
  readonly headers?: JsonSchema;
}

export interface CacheSettings {
  /** Freshness when the upstream sends no max-age / s-maxage. */
  readonly ttlSeconds?: number;
  /** Request headers whose values are part of the cache key. */
  readonly varyHeaders?: readonly string[];
}

export interface NameEdits {
  readonly set?: Readonly<Record<string, string>>;
  readonly remove?: readonly string[];
}

export interface MessageTransform {
  readonly headers?: NameEdits;
  /** JSONata expression applied to the JSON body. */
  readonly body?: string;
  /** Convert the body's format; `xml-to-json` runs before `body`, `json-to-xml` after it. */
  readonly convert?: 'xml-to-json' | 'json-to-xml';
  /** Root element name for json-to-xml. */
  readonly xmlRoot?: string;
}

export interface TransformSettings {
  readonly request?: MessageTransform & { readonly query?: NameEdits };
  readonly response?: MessageTransform;
}

export interface PolicySettings {
  readonly ipFilter?: IpFilterSettings;
  readonly threatProtection?: ThreatProtectionSettings;
  readonly cors?: CorsSettings;
  readonly rateLimit?: Tiered<RateLimitTier>;
  readonly quota?: Tiered<QuotaTier>;
  readonly validation?: ValidationSettings;
  readonly cache?: CacheSettings;
  readonly transform?: TransformSettings;
}

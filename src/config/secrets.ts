import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { AppError } from '../errors';
import type { Settings } from '../settings';
import { ConfigStore } from '../store/config-store';
import type { ResourceType } from './resource-types';
import { connectorDefinitionSchema, type ConnectorDefinition } from './schemas';

/**
 * Secrets (SPEC.md §3.1): never served in clear, the mask written back keeps the stored value, and encrypted at
 * rest with AES-256-GCM when SECRETS_KEY is set. A stored value equal to the mask means "not known" (a masked export
 * imported into another tenant): the connector reports it instead of binding with it.
 */
export const SECRET_MASK = '********';
const ENC_PREFIX = 'enc:v1:';

/** Where secrets live, per resource type. */
const SECRET_PATHS: Partial<Record<ResourceType, ReadonlyArray<readonly string[]>>> = {
  connectorDefinition: [['connectorProperties', 'bindPassword']],
};

type Json = Record<string, unknown>;

function getAt(obj: Json, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = typeof cur === 'object' && cur !== null ? (cur as Json)[key] : undefined;
  return cur;
}

/** A copy of `obj` with the value at `path` replaced (parents must exist: the secret was read there). */
function setAt<T extends Json>(obj: T, path: readonly string[], value: unknown): T {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  return { ...obj, [head]: rest.length === 0 ? value : setAt((obj[head] ?? {}) as Json, rest, value) };
}

function mapSecrets<T extends Json>(type: ResourceType, resource: T, fn: (value: string, path: readonly string[]) => string): T {
  let out = resource;
  for (const path of SECRET_PATHS[type] ?? []) {
    const v = getAt(out, path);
    if (typeof v === 'string') out = setAt(out, path, fn(v, path));
  }
  return out;
}

function key(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(ENC_PREFIX);
}

/** `enc:v1:<iv>:<tag>:<ciphertext>` (base64), a fresh 96-bit IV per value. */
export function encryptSecret(clear: string, keyHex: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(keyHex), iv);
  const ct = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  return `${ENC_PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
}

/** The clear value of a stored secret (stored values without the prefix were saved before a key was set). */
export function decryptSecret(stored: string, keyHex: string | undefined): string {
  if (!isEncrypted(stored)) return stored;
  if (!keyHex) throw new AppError('CONFIGURATION_ERROR', 'A secret is encrypted but SECRETS_KEY is not set', {}, 'Set SECRETS_KEY to the key the secret was encrypted with');
  const [iv, tag, ct] = stored.slice(ENC_PREFIX.length).split(':');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(keyHex), Buffer.from(iv ?? '', 'base64'));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct ?? '', 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('CONFIGURATION_ERROR', 'A secret cannot be decrypted with the configured SECRETS_KEY', {}, 'Set SECRETS_KEY to the key the secret was encrypted with, or set the secret again');
  }
}

/** What GET, list and export show. */
export function maskSecrets<T extends Json>(type: ResourceType, resource: T): T {
  return mapSecrets(type, resource, () => SECRET_MASK);
}

/**
 * What is stored for an incoming resource: the mask keeps the stored value (or stays the "unknown" marker when
 * there is none), a clear value is encrypted when a key is configured.
 */
export function protectSecrets<T extends Json>(type: ResourceType, incoming: T, stored: Json | undefined, keyHex: string | undefined): T {
  return mapSecrets(type, incoming, (value, path) => {
    if (value === SECRET_MASK) {
      const previous = stored ? getAt(stored, path) : undefined;
      return typeof previous === 'string' ? previous : SECRET_MASK;
    }
    return keyHex ? encryptSecret(value, keyHex) : value;
  });
}

/** The clear secrets of a stored resource (for the connectors, never for the API). */
export function revealSecrets<T extends Json>(type: ResourceType, resource: T, keyHex: string | undefined, location: string): T {
  return mapSecrets(type, resource, (value, path) => {
    if (value === SECRET_MASK) {
      throw new AppError('CONFIGURATION_ERROR', `${location}: ${path.join('.')} is not known (it was imported masked)`, { path: path.join('.') }, 'Set the secret with a PUT of the resource');
    }
    return decryptSecret(value, keyHex);
  });
}

/** A connector definition with its defaults applied and its secrets in clear, for the connectors; undefined if absent. */
export async function loadConnectorDefinitionWithSecrets(db: Db, id: string, settings: Pick<Settings, 'SECRETS_KEY'>): Promise<ConnectorDefinition | undefined> {
  const stored = await new ConfigStore(db).get('connectorDefinition', id);
  if (!stored) return undefined;
  const { createdAt: _c, updatedAt: _u, version: _v, ...resource } = stored;
  return connectorDefinitionSchema.parse(revealSecrets('connectorDefinition', resource, settings.SECRETS_KEY, `ConnectorDefinition ${id}`));
}

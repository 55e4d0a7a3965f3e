// Go structs that core/v1 inlines into their parent's JSON but nests in protobuf (Go embedding):
// a Volume's source, a Probe's handler, an EphemeralContainer's container fields, the name of
// ConfigMap and Secret references. The JSON fields of such a parent carry no protobuf number of
// their own; this table says where protobuf puts them, for the protobuf decoder.
import { CONTAINER_DEFINITIONS } from './pod-container-defs.js';
import { VOLUME_SOURCES } from './pod-volume-defs.js';

const C = 'io.k8s.api.core.v1.';

/** Parent schema name → field number of the nested message → JSON field name → its number inside that message. */
export type EmbeddedProto = Record<string, Record<number, Record<string, number>>>;

const containerNumbers = Object.fromEntries(
  Object.entries(CONTAINER_DEFINITIONS[`${C}Container`]!.properties!).map(([name, s]) => [name, s.proto!]),
);
const localName = { name: 1 };

/** Where protobuf keeps the inlined fields of core/v1's pod types. */
export const POD_EMBEDDED_PROTO: EmbeddedProto = {
  [`${C}Volume`]: { 2: Object.fromEntries(Object.entries(VOLUME_SOURCES).map(([name, [n]]) => [name, n])) },
  [`${C}Probe`]: { 1: { exec: 1, httpGet: 2, tcpSocket: 3, grpc: 4 } },
  [`${C}EphemeralContainer`]: { 1: containerNumbers },
  [`${C}ConfigMapKeySelector`]: { 1: localName },
  [`${C}SecretKeySelector`]: { 1: localName },
  [`${C}ConfigMapEnvSource`]: { 1: localName },
  [`${C}SecretEnvSource`]: { 1: localName },
  [`${C}ConfigMapVolumeSource`]: { 1: localName },
  [`${C}ConfigMapProjection`]: { 1: localName },
  [`${C}SecretProjection`]: { 1: localName },
};

// Binary encodings the apiserver speaks and this server does not.
const BINARY_MEDIA_TYPES = new Set(['application/vnd.kubernetes.protobuf', 'application/cbor']);

/** The media types of an Accept or Content-Type header, lower-cased, without parameters. */
export function mediaTypesOf(header: string): string[] {
  return header
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter((type) => type !== '');
}

/**
 * Whether a response in JSON suits `accept`: yes when it is empty or offers anything but the
 * binary encodings (kubectl offers `application/vnd.kubernetes.protobuf,application/json`; a
 * JSON answer is what it falls back to). Only a client that accepts nothing but protobuf or
 * CBOR gets 406.
 */
export function acceptsJson(accept: string): boolean {
  const offered = mediaTypesOf(accept);
  return offered.length === 0 || offered.some((type) => !BINARY_MEDIA_TYPES.has(type));
}

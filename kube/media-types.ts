// Accept headers for the API server's metadata-only (PartialObjectMetadata) reads.

/** Accept header for metadata-only lists. */
export const ACCEPT_METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
/** Accept header for metadata-only gets and watches. */
export const ACCEPT_METADATA = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

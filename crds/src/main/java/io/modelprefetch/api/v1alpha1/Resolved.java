package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The pinned content of an artifact. */
public record Resolved(
    @JsonPropertyDescription(
            "commit sha for hf://; a listing fingerprint for s3://; the ETag or digest for"
                + " https://")
        String revision,
    @JsonPropertyDescription("number of files") Integer files,
    @JsonPropertyDescription("sum of file sizes") Long totalBytes,
    @JsonPropertyDescription("totalBytes for humans, e.g. 15.0 GiB") String size) {}

package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An emptyDir in each consuming pod. */
public record EmptyDirStorage(
    @JsonPropertyDescription(
            "size limit of the emptyDir; defaults to the resolved size plus headroom")
        String sizeLimit) {}

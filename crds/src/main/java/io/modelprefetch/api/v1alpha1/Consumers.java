package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The live pods in the artifact's namespace that opted in ({@code modelprefetch.io/inject: "true"})
 * and name the artifact in {@code modelprefetch.io/artifacts}.
 */
public record Consumers(
    @JsonPropertyDescription("injected pods whose model files are not there yet (not Ready)")
        Integer waiting,
    @JsonPropertyDescription("injected pods that have the model files (Ready)") Integer ready,
    @JsonPropertyDescription(
            "pods admitted without injection (webhook unreachable): no model mounted; delete them"
                + " to retry")
        Integer notInjected) {}

package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator and the downloader observed. The operator owns phase, conditions and consumers;
 * the downloader patches {@code progress} and {@code resolved} under its own field manager.
 */
public record ModelArtifactStatus(
    @JsonPropertyDescription("Pending, Resolving, Downloading, Verifying, Ready or Failed")
        Phase phase,
    @JsonPropertyDescription(
            "Ready, Downloading, Verified, StorageReady, ... with observedGeneration")
        List<Condition> conditions,
    @JsonPropertyDescription("the spec generation this status describes") Long observedGeneration,
    @JsonPropertyDescription("the pinned revision and its files") Resolved resolved,
    @JsonPropertyDescription("bytes and files done, speed and ETA of the current download")
        Progress progress,
    @JsonPropertyDescription("when the current download started (RFC 3339)") String startedAt,
    @JsonPropertyDescription("when the current download became Ready (RFC 3339)")
        String completedAt,
    @JsonPropertyDescription("download attempts for the current generation") Integer attempts,
    @JsonPropertyDescription("a short human-readable explanation of the phase") String message,
    @JsonPropertyDescription(
            "the pods using this artifact: waiting for the files, ready, or admitted without"
                + " injection")
        Consumers consumers) {}

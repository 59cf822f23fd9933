package io.modelprefetch.operator.webhook;

/**
 * One entry of the {@code modelprefetch.io/artifacts} annotation: an artifact and where it is
 * mounted.
 */
public record ArtifactReference(String name, String mountPath) {}

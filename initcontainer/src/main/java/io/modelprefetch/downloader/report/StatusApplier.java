package io.modelprefetch.downloader.report;

/** Sends one server-side apply document to the status subresource of a ModelArtifact. */
@FunctionalInterface
public interface StatusApplier {
  void apply(String applyDocument);
}

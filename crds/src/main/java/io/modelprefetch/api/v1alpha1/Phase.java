package io.modelprefetch.api.v1alpha1;

/** Where an artifact is in its life. */
public enum Phase {
  Pending,
  Resolving,
  Downloading,
  Verifying,
  Ready,
  Failed
}

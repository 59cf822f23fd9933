package io.modelprefetch.api.downloader;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code modelprefetch pull --termination-message-path} writes at exit (Kubernetes shows it in
 * the container's terminated state, at most 4 KiB).
 *
 * @param status {@link #DONE} or {@link #FAILED}
 * @param revision the commit or fingerprint pulled, on success
 * @param files files in the listing
 * @param bytes bytes of all files
 * @param transferredBytes bytes fetched from the network by this attempt
 * @param seconds duration of this attempt
 * @param error why the pull failed, for people; null on success
 * @param bytesFromPeers through Dragonfly: bytes the node got from other nodes or its Dragonfly
 *     cache
 * @param bytesFromOrigin through Dragonfly: bytes the node fetched from the origin (direct or
 *     back-to-source)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TerminationMessage(
    String status,
    String revision,
    Integer files,
    Long bytes,
    Long transferredBytes,
    Double seconds,
    String error,
    Long bytesFromPeers,
    Long bytesFromOrigin) {
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  /** Kubernetes keeps at most this many bytes of a termination message. */
  public static final int MAX_BYTES = 4096;

  /**
   * The error is cut to this many characters so that the whole message stays within {@link
   * #MAX_BYTES}.
   */
  public static final int MAX_ERROR_CHARS = 3000;

  /** The message of a pull that did not go through Dragonfly. */
  public TerminationMessage(
      String status,
      String revision,
      Integer files,
      Long bytes,
      Long transferredBytes,
      Double seconds,
      String error) {
    this(status, revision, files, bytes, transferredBytes, seconds, error, null, null);
  }
}

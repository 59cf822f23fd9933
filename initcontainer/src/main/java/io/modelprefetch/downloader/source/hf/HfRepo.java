package io.modelprefetch.downloader.source.hf;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hub repository named by {@code hf://org/name}, {@code hf://datasets/org/name} or {@code
 * hf://spaces/org/name}.
 */
record HfRepo(String type, String id) {
  private static final Pattern URI =
      Pattern.compile(
          "hf://(?:(models|datasets|spaces)/)?([A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*)/?");

  static HfRepo parse(String uri) throws DownloadException {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new DownloadException(
          Failure.USAGE,
          "invalid Hugging Face URI '"
              + uri
              + "': expected hf://org/name (or hf://datasets/org/name)");
    }
    return new HfRepo(m.group(1) == null ? "models" : m.group(1), m.group(2));
  }

  /** Path prefix of the file URLs: models have none, other types their type. */
  String resolvePrefix() {
    return type.equals("models") ? id : type + "/" + id;
  }
}

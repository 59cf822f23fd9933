package io.modelprefetch.downloader.source.oci;

import java.util.Locale;

/**
 * One layer of a resolved OCI manifest and how it becomes files.
 *
 * @param digest the blob's {@code sha256:} digest
 * @param size the blob's size
 * @param mediaType as the manifest says
 * @param name the file name from {@code org.cncf.model.filepath} or {@code
 *     org.opencontainers.image.title} (a raw file's path; a hint only for archives), or null
 * @param archive how its bytes are packed
 */
public record Layer(String digest, long size, String mediaType, String name, Archive archive) {

  /** A layer is one file as is, or a tar archive of files (optionally gzip-compressed). */
  public enum Archive {
    RAW,
    TAR,
    TAR_GZIP,
    /** A compression we do not read (zstd): refused with a clear message. */
    UNSUPPORTED
  }

  static final String MODELPACK_PREFIX = "application/vnd.cncf.model.";
  static final String FILEPATH_ANNOTATION = "org.cncf.model.filepath";
  static final String TITLE_ANNOTATION = "org.opencontainers.image.title";

  /** oras marks a pushed directory (a tar+gzip of it) with this annotation. */
  static final String ORAS_UNPACK_ANNOTATION = "io.deis.oras.content.unpack";

  /**
   * How a layer is read: ModelPack archive types and oras directories are unpacked; any other layer
   * with a file name annotation is that file (oras gives plain files the image layer type); an
   * unnamed layer of an image layer type is an archive.
   */
  static Archive archiveOf(String mediaType, String name, boolean orasDirectory) {
    String t = mediaType.toLowerCase(Locale.ROOT);
    boolean modelPack = t.startsWith(MODELPACK_PREFIX);
    if (name != null && !orasDirectory && (!modelPack || t.endsWith(".raw"))) {
      return Archive.RAW;
    }
    if (t.endsWith("+zstd") || t.endsWith(".zstd")) {
      return Archive.UNSUPPORTED;
    }
    if (t.endsWith("+gzip")
        || t.endsWith(".tar.gzip")
        || t.endsWith(".tar.gz")
        || t.endsWith(".gzip")) {
      return Archive.TAR_GZIP;
    }
    if (t.endsWith(".tar") || t.endsWith("+tar")) {
      return Archive.TAR;
    }
    return name == null ? null : Archive.RAW;
  }
}

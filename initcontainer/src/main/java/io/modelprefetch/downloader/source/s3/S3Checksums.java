package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Turns S3 response checksums into digests of the whole object. */
final class S3Checksums {
  private S3Checksums() {}

  /**
   * Full-object checksums (base64, no "-N" part count) become digests; the listing's MD5 ETag is
   * kept unless the object is encrypted with KMS or a customer key (then the ETag is no MD5).
   */
  static List<Digest> of(String sha256, String sha1, String crc32c, String crc32, String sse, RemoteFile file) {
    List<Digest> out = new ArrayList<>();
    add(out, Digest.Algorithm.SHA256, sha256);
    add(out, Digest.Algorithm.SHA1, sha1);
    add(out, Digest.Algorithm.CRC32C, crc32c);
    add(out, Digest.Algorithm.CRC32, crc32);
    boolean etagIsMd5 = sse == null || sse.equals("AES256");
    for (Digest d : file.digests()) {
      if (d.algorithm() != Digest.Algorithm.MD5 || etagIsMd5) {
        out.add(d);
      }
    }
    return out;
  }

  private static void add(List<Digest> out, Digest.Algorithm algorithm, String base64) {
    if (base64 != null && !base64.isBlank() && !base64.contains("-")) {
      try {
        out.add(Digest.of(algorithm, Base64.getDecoder().decode(base64.trim())));
      } catch (IllegalArgumentException notBase64) {
        // A header we cannot read is no digest: the next one (or the size) checks the bytes.
      }
    }
  }
}

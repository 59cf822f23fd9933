package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what S3 says about an object (checksums, checksum type, ETag, encryption) into the digests
 * its bytes must match. A checksum is used as a digest of the whole object only when it is known to
 * be one: {@code x-amz-checksum-type: FULL_OBJECT}, or no type at all on an object that was not
 * uploaded in parts (its ETag has no {@code -N}), where there is only one part. A {@code COMPOSITE}
 * checksum (or one with a {@code -N} suffix) is a checksum of the part checksums: it becomes a
 * composite digest when the part layout is known, else it is not used. A multipart ETag ({@code
 * md5-of-part-md5s-N}) likewise, unless the object is encrypted with KMS or a customer key.
 * Anything else (an unknown type, a bare checksum on a multipart object) is never used, so it can
 * never fail correct bytes: verification falls back to the next digest.
 */
final class S3Checksums {
  private static final Pattern SUFFIXED = Pattern.compile("(.*)-(\\d{1,5})");
  private static final Pattern MULTIPART_ETAG = Pattern.compile("([0-9a-fA-F]{32})-(\\d{1,5})");

  private S3Checksums() {}

  /**
   * Checksums and headers of one HeadObject/GetObject response (null where absent).
   *
   * @param type {@code x-amz-checksum-type}
   * @param sse {@code x-amz-server-side-encryption}
   * @param sseCustomer {@code x-amz-server-side-encryption-customer-algorithm}
   */
  record Response(
      String sha256,
      String sha1,
      String crc32c,
      String crc32,
      String type,
      String sse,
      String sseCustomer) {

    /** The checksum and encryption headers of a HeadObject or GetObject answer. */
    static Response of(java.util.function.UnaryOperator<String> header) {
      return new Response(
          header.apply("x-amz-checksum-sha256"),
          header.apply("x-amz-checksum-sha1"),
          header.apply("x-amz-checksum-crc32c"),
          header.apply("x-amz-checksum-crc32"),
          header.apply("x-amz-checksum-type"),
          header.apply("x-amz-server-side-encryption"),
          header.apply("x-amz-server-side-encryption-customer-algorithm"));
    }
  }

  /** The number of parts of a multipart upload from its ETag ({@code "…-N"}), else 0. */
  static int partsCount(String etag) {
    Matcher m = MULTIPART_ETAG.matcher(bare(etag));
    return m.matches() ? Integer.parseInt(m.group(2)) : 0;
  }

  /**
   * The digests of {@code file}: the ones {@code r} proves, and the listing's own (its MD5 ETag);
   * {@code layout} is the object's part sizes, or null when they are not known.
   */
  static List<Digest> of(Response r, RemoteFile file, List<Long> layout) {
    int parts = partsCount(file.version());
    List<Digest> out = new ArrayList<>();
    add(out, Digest.Algorithm.SHA256, r.sha256(), r.type(), parts, layout);
    add(out, Digest.Algorithm.SHA1, r.sha1(), r.type(), parts, layout);
    add(out, Digest.Algorithm.CRC32C, r.crc32c(), r.type(), parts, layout);
    add(out, Digest.Algorithm.CRC32, r.crc32(), r.type(), parts, layout);
    boolean etagIsMd5 = (r.sse() == null || r.sse().equals("AES256")) && r.sseCustomer() == null;
    if (etagIsMd5) {
      out.addAll(
          file.digests().stream().filter(d -> d.algorithm() == Digest.Algorithm.MD5).toList());
      Matcher m = MULTIPART_ETAG.matcher(bare(file.version()));
      if (m.matches() && layout != null && layout.size() == parts) {
        out.add(new Digest(Digest.Algorithm.MD5, m.group(1), layout));
      }
    }
    out.addAll(file.digests().stream().filter(d -> d.algorithm() != Digest.Algorithm.MD5).toList());
    return out;
  }

  private static void add(
      List<Digest> out,
      Digest.Algorithm algorithm,
      String value,
      String type,
      int parts,
      List<Long> layout) {
    if (value == null || value.isBlank()) {
      return;
    }
    Matcher m = SUFFIXED.matcher(value.trim());
    Integer suffix = m.matches() ? Integer.valueOf(m.group(2)) : null;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(suffix == null ? value.trim() : m.group(1));
    } catch (IllegalArgumentException e) {
      return;
    }
    String kind = type == null ? null : type.toUpperCase(Locale.ROOT);
    boolean composite = "COMPOSITE".equals(kind) || (kind == null && suffix != null);
    boolean full = suffix == null && ("FULL_OBJECT".equals(kind) || (kind == null && parts == 0));
    if (full) {
      out.add(Digest.of(algorithm, bytes));
    } else if (composite
        && layout != null
        && (suffix == null || suffix == layout.size())
        && (parts == 0 || parts == layout.size())) {
      out.add(new Digest(algorithm, Digest.of(algorithm, bytes).hex(), layout));
    }
  }

  /** An ETag without its quotes. */
  static String bare(String etag) {
    return etag == null ? "" : etag.replace("\"", "");
  }
}

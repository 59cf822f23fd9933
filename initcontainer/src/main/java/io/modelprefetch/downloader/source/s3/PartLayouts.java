package io.modelprefetch.downloader.source.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesParts;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Learns the part sizes of a multipart object, which its composite checksum and multipart ETag
 * need: GetObjectAttributes with {@code ObjectParts} (up to 1000 parts a call), else, where the
 * server does not list parts (or the caller may not call it), one HeadObject with
 * {@code partNumber} per part.
 */
final class PartLayouts {
  private static final int PAGE = 1000;
  private final S3Client s3;
  private final String bucket;

  PartLayouts(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * The sizes of the {@code parts} parts of object {@code key} with ETag {@code etag} and
   * {@code size} bytes, or null when the server does not tell (or its answer does not add up).
   */
  List<Long> of(String key, String etag, long size, int parts) {
    List<Long> sizes = fromAttributes(key, etag, parts);
    if (!adds(sizes, size, parts)) {
      sizes = fromHeads(key, parts);
    }
    return adds(sizes, size, parts) ? List.copyOf(sizes) : null;
  }

  private static boolean adds(List<Long> sizes, long size, int parts) {
    return sizes != null && sizes.size() == parts && sizes.stream().allMatch(s -> s != null && s > 0)
        && sizes.stream().mapToLong(Long::longValue).sum() == size;
  }

  private List<Long> fromAttributes(String key, String etag, int parts) {
    List<Long> out = new ArrayList<>();
    Integer marker = null;
    try {
      do {
        Integer from = marker;
        GetObjectAttributesResponse a = s3.getObjectAttributes(b -> b.bucket(bucket).key(key).maxParts(PAGE)
            .partNumberMarker(from).objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS));
        GetObjectAttributesParts p = a.objectParts();
        if (p == null || !p.hasParts() || p.parts().isEmpty()
            || (a.eTag() != null && !S3Checksums.bare(a.eTag()).equals(S3Checksums.bare(etag)))) {
          return null;
        }
        for (ObjectPart part : p.parts()) {
          if (!Objects.equals(part.partNumber(), out.size() + 1)) {
            return null;
          }
          out.add(part.size());
        }
        marker = Boolean.TRUE.equals(p.isTruncated()) ? p.nextPartNumberMarker() : null;
      } while (marker != null && out.size() < parts);
      return out;
    } catch (SdkException e) {
      // Not implemented by this server, not allowed (s3:GetObjectAttributes), or an answer the SDK
      // cannot read (moto sends an ISO Last-Modified here): ask part by part. A broken connection
      // fails those requests too, and they report it.
      return null;
    }
  }

  private List<Long> fromHeads(String key, int parts) {
    List<Long> out = new ArrayList<>();
    try {
      for (int i = 1; i <= parts; i++) {
        int n = i;
        // No If-Match here: some servers compare it with the part's own ETag. The GETs carry it.
        var h = s3.headObject(b -> b.bucket(bucket).key(key).partNumber(n));
        if (h.partsCount() != null && h.partsCount() != parts) {
          return null;
        }
        out.add(h.contentLength());
      }
      return out;
    } catch (S3Exception e) {
      return null;
    }
  }
}

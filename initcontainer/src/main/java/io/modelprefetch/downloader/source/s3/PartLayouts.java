package io.modelprefetch.downloader.source.s3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkClientException;
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
 * server does not list parts (or the caller may not call it), one HeadObject with {@code
 * partNumber} per part.
 */
final class PartLayouts {
  private static final int PAGE = 1000;
  private static final int HEADS_IN_FLIGHT = 8;
  private final S3Client s3;
  private final String bucket;

  PartLayouts(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * The sizes of the {@code parts} parts of object {@code key} with ETag {@code etag} and {@code
   * size} bytes, or null when the server does not tell (or its answer does not add up).
   */
  List<Long> of(String key, String etag, long size, int parts) {
    List<Long> sizes = fromAttributes(key, etag, parts);
    if (!adds(sizes, size, parts)) {
      sizes = fromHeads(key, parts);
    }
    return adds(sizes, size, parts) ? List.copyOf(sizes) : null;
  }

  private static boolean adds(List<Long> sizes, long size, int parts) {
    return sizes != null
        && sizes.size() == parts
        && sizes.stream().allMatch(s -> s != null && s > 0)
        && sizes.stream().mapToLong(Long::longValue).sum() == size;
  }

  private List<Long> fromAttributes(String key, String etag, int parts) {
    List<Long> out = new ArrayList<>();
    Integer marker = null;
    try {
      do {
        Integer from = marker;
        GetObjectAttributesResponse a =
            s3.getObjectAttributes(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .maxParts(PAGE)
                        .partNumberMarker(from)
                        .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS));
        GetObjectAttributesParts p = a.objectParts();
        if (p == null
            || !p.hasParts()
            || p.parts().isEmpty()
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

  /**
   * One HeadObject per part (AWS lists part sizes only for objects uploaded with a checksum), a few
   * at a time: a 10 GB object uploaded in 8 MiB parts has 1,200 of them.
   */
  private List<Long> fromHeads(String key, int parts) {
    Long[] sizes = new Long[parts];
    try (ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parts, HEADS_IN_FLIGHT), Thread.ofVirtual().name("part-head-", 0).factory())) {
      List<Future<Boolean>> heads = new ArrayList<>();
      for (int i = 1; i <= parts; i++) {
        int n = i;
        heads.add(
            pool.submit(
                () -> {
                  // No If-Match here: some servers compare it with the part's own ETag. The GETs
                  // carry it.
                  var h = s3.headObject(b -> b.bucket(bucket).key(key).partNumber(n));
                  sizes[n - 1] = h.contentLength();
                  return h.partsCount() == null || h.partsCount() == parts;
                }));
      }
      for (Future<Boolean> head : heads) {
        if (!head.get()) {
          return null;
        }
      }
      return Arrays.asList(sizes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SdkClientException.create("interrupted while asking for part sizes", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof S3Exception s3e
          && s3e.statusCode() < 500
          && s3e.statusCode() != 429) {
        return null; // a refusal (4xx) means the server cannot tell
      }
      throw e.getCause() instanceof SdkException sdk
          ? sdk
          : SdkClientException.create("part sizes", e.getCause());
    }
  }
}

package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Learns the part sizes of a multipart object, which its composite checksum and multipart ETag
 * need: GetObjectAttributes with {@code ObjectParts} (up to 1000 parts a call), else, where the
 * server does not list parts (or the caller may not call it), one HeadObject with {@code
 * partNumber} per part.
 */
final class PartLayouts {
  private static final int PAGE = 1000;
  private static final int HEADS_IN_FLIGHT = 16;
  private final S3Http s3;

  PartLayouts(S3Http s3) {
    this.s3 = s3;
  }

  /**
   * The sizes of the {@code parts} parts of object {@code key} with ETag {@code etag} and {@code
   * size} bytes, or null when the server does not tell (or its answer does not add up).
   */
  List<Long> of(String key, String etag, long size, int parts) throws IOException {
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
        Map<String, String> headers = new HashMap<>();
        headers.put("x-amz-object-attributes", "ETag,ObjectParts");
        headers.put("x-amz-max-parts", String.valueOf(PAGE));
        if (marker != null) {
          headers.put("x-amz-part-number-marker", String.valueOf(marker));
        }
        HttpTransport.Response r =
            s3.send(
                SdkHttpMethod.GET,
                key,
                Map.of("attributes", ""),
                headers,
                "attributes of s3://" + s3.bucket() + "/" + key);
        S3Xml.Attributes a;
        boolean read = false;
        try (InputStream in = r.body()) {
          a = S3Xml.attributes(in);
          read = true;
        } finally {
          r.release(read);
        }
        if (a.parts().isEmpty()
            || (a.etag() != null && !S3Checksums.bare(a.etag()).equals(S3Checksums.bare(etag)))) {
          return null;
        }
        for (S3Xml.Part part : a.parts()) {
          if (!Objects.equals(part.number(), out.size() + 1)) {
            return null;
          }
          out.add(part.size());
        }
        marker = a.truncated() ? a.nextMarker() : null;
      } while (marker != null && out.size() < parts);
      return out;
    } catch (IOException e) {
      // Not implemented by this server, not allowed (s3:GetObjectAttributes), or an answer that
      // cannot be read: ask part by part. A broken connection fails those requests too, and they
      // report it.
      return null;
    }
  }

  /**
   * One HeadObject per part (AWS lists part sizes only for objects uploaded with a checksum), a few
   * at a time: a 10 GB object uploaded in 8 MiB parts has 1,200 of them.
   */
  private List<Long> fromHeads(String key, int parts) throws IOException {
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
                  HttpTransport.Response h =
                      s3.send(
                          SdkHttpMethod.HEAD,
                          key,
                          Map.of("partNumber", String.valueOf(n)),
                          Map.of(),
                          "part " + n + " of s3://" + s3.bucket() + "/" + key);
                  h.release(true);
                  sizes[n - 1] = h.contentLength();
                  String count = h.header("x-amz-mp-parts-count");
                  return count == null || count.strip().equals(String.valueOf(parts));
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
      throw new InterruptedIOException("interrupted while asking for part sizes");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SourceException s && !s.retryable()) {
        return null; // a refusal (4xx) means the server cannot tell
      }
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException("part sizes of " + key + ": " + e.getCause(), e.getCause());
    }
  }
}

package io.modelprefetch.downloader.source.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the few S3 XML answers a pull needs (ListObjectsV2, GetObjectAttributes, errors) with the
 * JDK's StAX parser: no DTDs, no external entities, only the elements named here.
 */
final class S3Xml {
  private static final XMLInputFactory FACTORY = factory();

  private S3Xml() {}

  /** One listed object: its key (decoded), size and ETag as sent (with its quotes). */
  record Entry(String key, long size, String etag) {}

  /** One ListObjectsV2 page. */
  record ListPage(List<Entry> contents, boolean truncated, String nextContinuationToken) {}

  /** What GetObjectAttributes said: the ETag and the parts on this page, in order. */
  record Attributes(String etag, List<Part> parts, boolean truncated, Integer nextMarker) {}

  /** One part: number and size. */
  record Part(Integer number, Long size) {}

  /** An error answer: {@code Code} and {@code Message} (empty when absent). */
  record Error(String code, String message) {}

  static ListPage listPage(InputStream in) throws IOException {
    List<String[]> raw = new ArrayList<>();
    String[] current = new String[3];
    boolean[] truncated = {false};
    String[] next = {null};
    boolean[] urlEncoded = {false};
    read(
        in,
        (path, text) -> {
          switch (path) {
            case "ListBucketResult/Contents/Key" -> current[0] = text;
            case "ListBucketResult/Contents/Size" -> current[1] = text;
            case "ListBucketResult/Contents/ETag" -> current[2] = text;
            case "ListBucketResult/Contents" -> {
              raw.add(current.clone());
              java.util.Arrays.fill(current, null);
            }
            case "ListBucketResult/IsTruncated" ->
                truncated[0] = Boolean.parseBoolean(text.strip());
            case "ListBucketResult/NextContinuationToken" -> next[0] = text;
            case "ListBucketResult/EncodingType" -> urlEncoded[0] = "url".equals(text.strip());
            default -> {}
          }
        });
    List<Entry> contents = new ArrayList<>(raw.size());
    for (String[] r : raw) {
      if (r[0] == null || r[1] == null) {
        throw new IOException("a ListObjectsV2 entry without Key or Size");
      }
      String key = urlEncoded[0] ? URLDecoder.decode(r[0], StandardCharsets.UTF_8) : r[0];
      contents.add(new Entry(key, number(r[1]), r[2]));
    }
    return new ListPage(contents, truncated[0], next[0]);
  }

  static Attributes attributes(InputStream in) throws IOException {
    String[] etag = {null};
    List<Part> parts = new ArrayList<>();
    Long[] part = new Long[2];
    boolean[] truncated = {false};
    Integer[] next = {null};
    read(
        in,
        (path, text) -> {
          switch (path) {
            case "GetObjectAttributesResponse/ETag" -> etag[0] = text;
            case "GetObjectAttributesResponse/ObjectParts/Part/PartNumber" ->
                part[0] = number(text);
            case "GetObjectAttributesResponse/ObjectParts/Part/Size" -> part[1] = number(text);
            case "GetObjectAttributesResponse/ObjectParts/Part" -> {
              parts.add(new Part(part[0] == null ? null : part[0].intValue(), part[1]));
              part[0] = null;
              part[1] = null;
            }
            case "GetObjectAttributesResponse/ObjectParts/IsTruncated" ->
                truncated[0] = Boolean.parseBoolean(text.strip());
            case "GetObjectAttributesResponse/ObjectParts/NextPartNumberMarker" ->
                next[0] = (int) number(text);
            default -> {}
          }
        });
    return new Attributes(etag[0], parts, truncated[0], next[0]);
  }

  /** The code and message of an S3 error body; a body that is not one gives its text, shortened. */
  static Error error(byte[] body) {
    String[] found = {"", ""};
    try {
      read(
          new ByteArrayInputStream(body),
          (path, text) -> {
            switch (path) {
              case "Error/Code" -> found[0] = text.strip();
              case "Error/Message" -> found[1] = text.strip();
              default -> {}
            }
          });
    } catch (IOException notXml) {
      String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
      return new Error("", text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
    return new Error(found[0], found[1]);
  }

  private static long number(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: '" + text + "'", e);
    }
  }

  /**
   * Calls {@code element} with the slash-separated path (local names) and text of every element as
   * it ends.
   */
  private static void read(InputStream in, BiConsumer<String, String> element) throws IOException {
    Deque<StringBuilder> texts = new ArrayDeque<>();
    Deque<String> names = new ArrayDeque<>();
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(in);
      try {
        while (r.hasNext()) {
          switch (r.next()) {
            case XMLStreamConstants.START_ELEMENT -> {
              names.addLast(
                  names.isEmpty() ? r.getLocalName() : names.getLast() + "/" + r.getLocalName());
              texts.addLast(new StringBuilder());
            }
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
              if (!texts.isEmpty()) {
                texts.getLast().append(r.getText());
              }
            }
            case XMLStreamConstants.END_ELEMENT ->
                element.accept(names.removeLast(), texts.removeLast().toString());
            default -> {}
          }
        }
      } finally {
        r.close();
      }
    } catch (XMLStreamException | IllegalArgumentException e) {
      throw new IOException("unreadable S3 answer: " + e.getMessage(), e);
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }
}

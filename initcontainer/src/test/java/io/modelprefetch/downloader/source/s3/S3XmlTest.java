package io.modelprefetch.downloader.source.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3XmlTest {
  private static ByteArrayInputStream xml(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsAListingPageAndDecodesUrlEncodedKeys() throws IOException {
    S3Xml.ListPage page =
        S3Xml.listPage(
            xml(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>b</Name><Prefix>m%2F</Prefix><IsTruncated>true</IsTruncated>
                  <Contents><Key>m%2Fa+b%0D.bin</Key><Size>12</Size>
                    <ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag></Contents>
                  <Contents><Key>m%2Fdir%2F</Key><Size>0</Size><ETag>&quot;x&quot;</ETag></Contents>
                  <NextContinuationToken>1/+x=</NextContinuationToken>
                  <EncodingType>url</EncodingType>
                </ListBucketResult>
                """));
    assertThat(page.contents())
        .containsExactly(
            new S3Xml.Entry("m/a b\r.bin", 12, "\"0123456789abcdef0123456789abcdef\""),
            new S3Xml.Entry("m/dir/", 0, "\"x\""));
    assertThat(page.truncated()).isTrue();
    assertThat(page.nextContinuationToken()).isEqualTo("1/+x=");
  }

  @Test
  void keysAreTakenAsSentWhenTheServerDidNotEncodeThem() throws IOException {
    S3Xml.ListPage page =
        S3Xml.listPage(
            xml(
                "<ListBucketResult><Contents><Key>m/a+b%41.bin</Key><Size>1</Size></Contents>"
                    + "<IsTruncated>false</IsTruncated></ListBucketResult>"));
    assertThat(page.contents()).containsExactly(new S3Xml.Entry("m/a+b%41.bin", 1, null));
    assertThat(page.truncated()).isFalse();
    assertThat(page.nextContinuationToken()).isNull();
  }

  @Test
  void aListingWithADoctypeOrAnEntryWithoutSizeIsRefused() {
    assertThatThrownBy(
            () ->
                S3Xml.listPage(
                    xml(
                        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                            + "<ListBucketResult><Contents><Key>&e;</Key><Size>1</Size>"
                            + "</Contents></ListBucketResult>")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreadable S3 answer");
    assertThatThrownBy(
            () ->
                S3Xml.listPage(
                    xml("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without Key or Size");
  }

  @Test
  void readsObjectPartsOfGetObjectAttributes() throws IOException {
    S3Xml.Attributes a =
        S3Xml.attributes(
            xml(
                """
                <GetObjectAttributesResponse><ETag>abc-2</ETag>
                  <ObjectParts><IsTruncated>true</IsTruncated>
                    <NextPartNumberMarker>2</NextPartNumberMarker>
                    <Part><PartNumber>1</PartNumber><Size>5242880</Size></Part>
                    <Part><Size>7</Size><PartNumber>2</PartNumber></Part>
                  </ObjectParts></GetObjectAttributesResponse>
                """));
    assertThat(a.etag()).isEqualTo("abc-2");
    assertThat(a.parts()).containsExactly(new S3Xml.Part(1, 5242880L), new S3Xml.Part(2, 7L));
    assertThat(a.truncated()).isTrue();
    assertThat(a.nextMarker()).isEqualTo(2);
  }

  @Test
  void readsTheCodeAndMessageOfAnErrorOrKeepsTheTextOfAnotherBody() {
    assertThat(
            S3Xml.error(
                ("<?xml version=\"1.0\"?>\n<Error><Code>SlowDown</Code>"
                        + "<Message>Please reduce your request rate.</Message></Error>")
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new S3Xml.Error("SlowDown", "Please reduce your request rate."));
    assertThat(S3Xml.error("bad  gateway\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new S3Xml.Error("", "bad gateway"));
    assertThat(S3Xml.error(new byte[0])).isEqualTo(new S3Xml.Error("", ""));
  }
}

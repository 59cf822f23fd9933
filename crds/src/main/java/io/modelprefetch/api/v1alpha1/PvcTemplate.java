package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The claim the operator creates. */
public record PvcTemplate(
    @Required
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
        @JsonPropertyDescription("requested capacity, e.g. 40Gi; must hold the resolved model")
        String size,
    @JsonPropertyDescription("storage class; the cluster default when empty")
        String storageClassName,
    @JsonPropertyDescription(
            "access modes (default ReadWriteMany, so pods on many nodes can mount it)")
        List<String> accessModes) {}

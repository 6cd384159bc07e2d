package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Collection;

/**
 * Binds a Jackson tree to a Fabric8 type with the API server's types: no number where a string belongs, no
 * {@code "80"} or {@code 80.0} where an integer does (Jackson would coerce all of these). A value that does not
 * fit is a {@link Mismatch} naming its field, in words rather than Jackson's.
 */
final class StrictBinding {

    private static final ObjectMapper MAPPER = strictMapper();

    private StrictBinding() {}

    /** A field whose value is not of the type its place needs. */
    static final class Mismatch extends Exception {
        private final FieldPath field;

        Mismatch(FieldPath field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        FieldPath field() {
            return field;
        }

        String problem() {
            return getMessage();
        }
    }

    static <T> T bind(JsonNode node, Class<T> type) throws Mismatch {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            FieldPath field = pathOf(e);
            throw new Mismatch(field, "expected " + expected(e) + ", found " + describe(at(node, field)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Mismatch(FieldPath.ROOT, e.getOriginalMessage());
        }
    }

    private static FieldPath pathOf(JsonMappingException e) {
        FieldPath path = FieldPath.ROOT;
        for (JsonMappingException.Reference reference : e.getPath()) {
            path = reference.getFieldName() != null ? path.field(reference.getFieldName()) : path.index(reference.getIndex());
        }
        return path;
    }

    private static JsonNode at(JsonNode node, FieldPath field) {
        for (Object segment : field.segments()) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }

    private static String expected(JsonMappingException e) {
        JavaType type = switch (e) {
            case ValueInstantiationException instantiation -> instantiation.getType();
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    MAPPER.constructType(mismatch.getTargetType());
            default -> null;
        };
        if (type == null) return "another type";
        Class<?> raw = type.getRawClass();
        if (raw == IntOrString.class) return "an integer or a string";
        if (raw == String.class) return "a string";
        if (raw == Boolean.class || raw == boolean.class) return "true or false";
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) return "an integer";
        if (Number.class.isAssignableFrom(raw) || raw.isPrimitive()) return "a number";
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) return "a list";
        return "a map";
    }

    /** The value as a reader would name it: a number (9000.0), a string ("80"), a list, ... */
    static String describe(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) return "null";
        if (value.isBoolean()) return value.asText();
        if (value.isNumber()) return "a number (" + value.asText() + ")";
        if (value.isTextual()) return "a string (" + value + ")";
        if (value.isArray()) return "a list";
        return "a map";
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}

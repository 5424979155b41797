import com.example.Color;
import com.example.OrderSignals;
import com.example.Reason;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flow-Java's side of the swf-signal interop test, on Jackson itself.
 *
 * The ObjectMapper is configured exactly as the AWS Flow Framework for Java's
 * JsonDataConverter() constructor does (aws-swf-flow-library,
 * src/main/java/com/amazonaws/services/simpleworkflow/flow/JsonDataConverter.java).
 *
 *   decode: reads "signalName<TAB>input" lines, decodes each input as the decider does
 *           (POJOWorkflowDefinition.signalRecieved: fromData(input, Object[].class)) and
 *           invokes the OrderSignals method of that name by reflection, as Flow-Java does;
 *           prints "ok <what the method saw>" or "error <exception>" per line.
 *   encode: prints "signalName<TAB>input" for the values a generated external client
 *           would send (dataConverter.toData(new Object[] {args...})).
 */
public class FlowJavaInterop {
    abstract static class ThrowableMixin {
        @JsonIgnore
        abstract String getLocalizedMessage();
    }

    static ObjectMapper flowJavaMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
        mapper.activateDefaultTyping(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                ObjectMapper.DefaultTyping.NON_FINAL);
        mapper.addMixIn(Throwable.class, ThrowableMixin.class);
        return mapper;
    }

    public static void main(String[] argv) throws Exception {
        ObjectMapper mapper = flowJavaMapper();
        String mode = argv.length > 0 ? argv[0] : "";
        java.io.PrintStream out = new java.io.PrintStream(System.out, true, "UTF-8");
        if (mode.equals("decode")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                int tab = line.indexOf('\t');
                String name = line.substring(0, tab);
                String input = line.substring(tab + 1);
                out.println(decode(mapper, name, input));
            }
        } else if (mode.equals("encode")) {
            encode(mapper, out, "ping");
            encode(mapper, out, "cancel", "late \u00e9 \ud83d\ude00");
            encode(mapper, out, "move", 3, 4L);
            encode(mapper, out, "approve", "ana", (short) 2);
            encode(mapper, out, "approve", "bo", null);
            encode(mapper, out, "everything", (byte) -1, (short) 2, (short) 200, 4L,
                    new BigInteger("18446744073709551615"), 1.5f, 2.5, 'x', true, "j");
            Map<String, Long> m = new HashMap<>();
            m.put("k", 8L);
            encode(mapper, out, "nested", new ArrayList<>(Arrays.asList(7L, 9L)), m,
                    new Object[] {9, "t"}, new Reason(7, "late"), Color.GREEN);
            List<Reason> all = new ArrayList<>();
            all.add(new Reason(2, "b"));
            encode(mapper, out, "dated", new Date(1715953530123L),
                    new com.other.Why(3L, new ArrayList<>(all)), all);
        } else {
            System.err.println("usage: FlowJavaInterop decode|encode");
            System.exit(2);
        }
    }

    static void encode(ObjectMapper mapper, java.io.PrintStream out, String name, Object... args)
            throws Exception {
        out.println(name + "\t" + mapper.writeValueAsString(args));
    }

    static String decode(ObjectMapper mapper, String name, String input) {
        OrderSignals signals = new OrderSignals();
        try {
            Object[] args = mapper.readValue(input, Object[].class);
            Method method = null;
            for (Method m : OrderSignals.class.getMethods()) {
                if (m.getName().equals(name)) method = m;
            }
            if (method == null) return "error no signal method " + name;
            method.invoke(signals, args);
            return "ok " + signals.seen;
        } catch (InvocationTargetException e) {
            return "error " + e.getCause();
        } catch (Exception e) {
            return "error " + e.toString().replace('\n', ' ');
        }
    }
}

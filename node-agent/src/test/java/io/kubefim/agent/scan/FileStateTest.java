package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.FileType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FileState's equals and hashCode are written out (start-up cost); none may miss a component but
 * the owner's name, which the baseline does not keep.
 */
class FileStateTest {
  private static final FileState BASE =
      new FileState(
          FileType.File,
          10,
          0644,
          0,
          0,
          77,
          1_000,
          2_000,
          null,
          "aa",
          "bb",
          "cc",
          false,
          null,
          false);

  /** BASE with component {@code i} changed. */
  private static FileState changed(int i) throws ReflectiveOperationException {
    RecordComponent[] comps = FileState.class.getRecordComponents();
    Object[] values = new Object[comps.length];
    for (int j = 0; j < comps.length; j++) {
      values[j] = comps[j].getAccessor().invoke(BASE);
    }
    Object v = values[i];
    if (v == null) {
      values[i] = "x";
    } else if (v instanceof FileType t) {
      values[i] = t == FileType.File ? FileType.Directory : FileType.File;
    } else if (v instanceof Long l) {
      values[i] = l + 1;
    } else if (v instanceof Integer n) {
      values[i] = n + 1;
    } else if (v instanceof Boolean b) {
      values[i] = !b;
    } else {
      values[i] = v + "x";
    }
    Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
    return FileState.class.getDeclaredConstructor(types).newInstance(values);
  }

  @Test
  void everyComponentTakesPartInEquality() throws ReflectiveOperationException {
    List<String> names =
        Arrays.stream(FileState.class.getRecordComponents()).map(RecordComponent::getName).toList();
    assertThat(names).hasSize(16);
    for (int i = 0; i < names.size(); i++) {
      FileState other = changed(i);
      if (names.get(i).equals("owner")) {
        // the owner's name is not stored in the baseline; uid stands for it (DosMode)
        assertThat(other).as(names.get(i)).isEqualTo(BASE).hasSameHashCodeAs(BASE);
        assertThat(other.differsFrom(BASE)).as(names.get(i)).isFalse();
        continue;
      }
      assertThat(other).as(names.get(i)).isNotEqualTo(BASE);
      assertThat(other.differsFrom(BASE)).as(names.get(i)).isTrue();
    }
  }

  @Test
  void equalStatesAreEqualWithTheSameHash() {
    FileState copy = BASE.withHashes("aa", "bb", "cc");
    assertThat(copy).isEqualTo(BASE).hasSameHashCodeAs(BASE);
    assertThat(copy.differsFrom(BASE)).isFalse();
    assertThat(BASE.differsFrom(null)).isTrue();
  }
}

package io.kubefim.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
  @TempDir Path tmp;

  @Test
  void namesFromTheFirstReadablePasswdNumbersOtherwiseAndRereadsAChangedFile() throws Exception {
    Path hostPasswd = tmp.resolve("passwd");
    Files.writeString(
        hostPasswd,
        "root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nazureuser:x:1000:1000::/home/a:/bin/sh\n"
            + "dup:x:1000:1000::/:/bin/sh\n");
    AtomicLong now = new AtomicLong();
    Accounts a = new Accounts(List.of(tmp.resolve("missing"), hostPasswd), now::get);

    assertThat(a.name(0)).isEqualTo("root");
    assertThat(a.name(1000)).as("the first name of a uid, as getpwuid").isEqualTo("azureuser");
    assertThat(a.name(4242)).isEqualTo("4242");
    assertThat(a.name(-1)).isNull();

    Files.writeString(
        hostPasswd, "root:x:0:0:root:/root:/bin/bash\nnewuser:x:4242:4242::/:/bin/sh\n");
    Files.setLastModifiedTime(hostPasswd, FileTime.fromMillis(1));
    assertThat(a.name(4242)).as("not re-checked within 5 s").isEqualTo("4242");
    now.addAndGet(6000);
    assertThat(a.name(4242)).isEqualTo("newuser");
  }
}

package io.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanDataTest {

  private static final String HEADER = "studyName,Sample Number,Species,Region,Island,Stage,Individual ID,"
      + "Clutch Completion,Date Egg,Culmen Length (mm),Culmen Depth (mm),Flipper Length (mm),Body Mass (g),"
      + "Sex,Delta 15 N (o/oo),Delta 13 C (o/oo),Comments\n";

  private static CleanData.Cleaned clean(String rows) throws IOException {
    return CleanData.clean(Csv.read(new StringReader(HEADER + rows), "test.csv"));
  }

  @Test
  void quotedFieldsWithCommasAndQuotesStayInTheirColumns() throws IOException {
    CleanData.Cleaned cleaned = clean("""
        PAL0708,1,Adelie Penguin (Pygoscelis adeliae),Anvers,Torgersen,"Adult, 1 Egg Stage",N1A1,Yes,\
        2007-11-11,39.1,18.7,181,3750,MALE,NA,NA,"Nest ""never"" observed, with full clutch."
        """);

    assertThat(cleaned.rows()).containsExactly(
        List.of("PAL0708-N1A1", "Adelie", "Torgersen", "male", "39.1", "18.7", "181", "3750"));
    assertThat(cleaned.dropped()).isEmpty();
  }

  @Test
  void rowsMissingMeasurementsAreDroppedWithTheirReason() throws IOException {
    CleanData.Cleaned cleaned = clean("""
        PAL0708,4,Adelie Penguin (Pygoscelis adeliae),Anvers,Torgersen,"Adult, 1 Egg Stage",N2A2,Yes,\
        2007-11-16,NA,NA,NA,NA,NA,NA,NA,Adult not sampled.
        PAL0910,5,Gentoo penguin (Pygoscelis papua),Anvers,Biscoe,"Adult, 1 Egg Stage",N3A1,Yes,\
        2009-11-16,46.1,13.2,211,,FEMALE,NA,NA,NA
        PAL0910,6,Gentoo penguin (Pygoscelis papua),Anvers,Biscoe,"Adult, 1 Egg Stage",N3A2,Yes,\
        2009-11-16,46.1,13.2,211,heavy,FEMALE,NA,NA,NA
        """);

    assertThat(cleaned.rows()).isEmpty();
    assertThat(cleaned.dropped()).containsExactly(
        Map.entry("missing Culmen Length (mm), Culmen Depth (mm), Flipper Length (mm), Body Mass (g)", 1),
        Map.entry("missing Body Mass (g)", 1),
        Map.entry("unreadable Body Mass (g)", 1));
  }

  @Test
  void speciesAndSexAreNormalised() throws IOException {
    CleanData.Cleaned cleaned = clean("""
        PAL0708,1,Chinstrap penguin (Pygoscelis antarctica),Anvers,Dream,"Adult, 1 Egg Stage",N61A1,No,\
        2007-11-19,46.5,17.9,192,3500,FEMALE,9.03935,-24.30229,NA
        PAL0809,2,Gentoo penguin (Pygoscelis papua),Anvers,Biscoe,"Adult, 1 Egg Stage",N11A1,Yes,\
        2008-11-09,44.5,14.3,216,4100,NA,7.96621,-25.69327,Sexing primers did not amplify.
        PAL0809,3,Adélie,Anvers,Biscoe,"Adult, 1 Egg Stage",N11A2,Yes,2008-11-09,37.8,18.3,174,3400,.,NA,NA,NA
        PAL0809,4,Emperor penguin (Aptenodytes forsteri),Anvers,Biscoe,"Adult, 1 Egg Stage",N12A1,Yes,\
        2008-11-09,37.8,18.3,174,3400,MALE,NA,NA,NA
        """);

    assertThat(cleaned.rows()).extracting(row -> row.get(1) + "/" + row.get(3))
        .containsExactly("Chinstrap/female", "Gentoo/unknown", "Adelie/unknown");
    assertThat(cleaned.unknownSex()).containsExactly(Map.entry("'NA'", 1), Map.entry("'.'", 1));
    assertThat(cleaned.dropped()).containsExactly(
        Map.entry("unknown species 'Emperor penguin (Aptenodytes forsteri)'", 1));
  }

  @Test
  void aRepeatedBirdIsKeptOnce() throws IOException {
    String row = "PAL0708,1,Gentoo penguin (Pygoscelis papua),Anvers,Biscoe,\"Adult, 1 Egg Stage\",N31A1,Yes,"
        + "2007-11-27,46.1,13.2,211,4500,FEMALE,7.993,-25.51,NA\n";

    CleanData.Cleaned cleaned = clean(row + row);

    assertThat(cleaned.rows()).hasSize(1);
    assertThat(cleaned.dropped()).containsExactly(Map.entry("duplicate id PAL0708-N31A1", 1));
  }

  @Test
  void aMissingColumnIsNamed() {
    assertThatThrownBy(() -> CleanData.clean(Csv.read(new StringReader("studyName,Species\nA,B\n"), "odd.csv")))
        .hasMessageContaining("No column 'Individual ID' in odd.csv");
  }
}

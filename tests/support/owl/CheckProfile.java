// Checks an ontology against the OWL 2 DL profile with the OWL API (Debian's libowlapi-java), the
// reference implementation of the profile's rules (the same checker as ROBOT's validate-profile).
// Run as a single source file: java -cp '/usr/share/java/*' CheckProfile.java ONTOLOGY.ttl
// Prints one line per violation, and one per triple that the RDF-to-OWL mapping could not read (a
// triple that is no part of any OWL 2 axiom), and exits 1 if there is any, 0 if the ontology is in
// OWL 2 DL.
import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.Profiles;

public class CheckProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = Profiles.OWL2_DL.checkOntology(ontology);
        System.out.println("axioms " + ontology.getAxiomCount());
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation " + violation.toString().replace('\n', ' '));
        }
        int unparsed = 0;
        OWLOntologyLoaderMetaData meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
        if (meta instanceof RDFParserMetaData) {
            List<RDFTriple> triples = ((RDFParserMetaData) meta).getUnparsedTriples().collect(Collectors.toList());
            for (RDFTriple triple : triples) {
                System.out.println("unparsed " + triple);
            }
            unparsed = triples.size();
        }
        System.exit(report.isInProfile() && unparsed == 0 ? 0 : 1);
    }
}

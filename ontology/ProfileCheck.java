// OWL 2 DL profile check of an ontology file with the OWL API (the owlapi jar owlready2 bundles).
// Compiled and run by cdkg/ontology/profile.py (`cdkg ontology profile`). Prints one violation per
// line, then "violations: N". Besides the OWL API's own OWL2DLProfile, it reports every datatype
// used but neither in the OWL 2 datatype map nor declared (xsd:date, xsd:gYear...), which that
// OWL API version accepts silently and HermiT, as Protégé runs it, rejects.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.vocab.OWL2Datatype;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        int count = 0;
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println(v.toString().replace('\n', ' '));
            count++;
        }
        for (OWLDatatype d : ontology.getDatatypesInSignature(true)) {
            if (!OWL2Datatype.isBuiltIn(d.getIRI()) && !ontology.isDeclared(d, true)) {
                System.out.println("Use of datatype outside the OWL 2 datatype map: <" + d.getIRI() + ">");
                count++;
            }
        }
        System.out.println("violations: " + count);
    }
}

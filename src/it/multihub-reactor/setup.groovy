// A real registry for this IT; its address reaches the forked mvn through .mvn/maven.config.
def start = evaluate(new File(basedir, '../../../src/it/start-registry.groovy'))
def registry = start(basedir)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dit.registry=${registry}\n"
return true

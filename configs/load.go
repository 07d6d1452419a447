package configs

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var embedded embed.FS

// Names lists the embedded reference configs.
func Names() []string {
	ents, _ := fs.ReadDir(embedded, ".")
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// Embedded returns the text of an embedded reference config.
func Embedded(name string) ([]byte, bool) {
	b, err := embedded.ReadFile(name)
	return b, err == nil
}

// Default returns the embedded default.yaml, which also supplies the value
// of every key another config leaves out.
func Default() *Config {
	c, err := parse("default.yaml", mustEmbedded("default.yaml"), nil, nil)
	if err != nil {
		panic("configs: embedded default.yaml is invalid: " + err.Error())
	}
	return c
}

func mustEmbedded(name string) []byte {
	b, ok := Embedded(name)
	if !ok {
		panic("configs: missing embedded " + name)
	}
	return b
}

// Load reads a config: path is a file, or the name of an embedded config
// (default.yaml, culture_100k.yaml) when no such file exists. sets are
// "dotted.key=value" overrides applied before validation.
func Load(path string, sets []string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if b, ok := Embedded(path); ok && errors.Is(err, fs.ErrNotExist) {
			data, err = b, nil
		}
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the config: %v (embedded configs: %s)", err, strings.Join(Names(), ", "))}
	}
	return Parse(path, data, sets)
}

// Parse reads config text named name (for messages) over the defaults.
func Parse(name string, data []byte, sets []string) (*Config, error) {
	return parse(name, data, sets, Default())
}

// Error is a config error at a place in a file.
type Error struct {
	File string
	Line int    // 0 when unknown (for example an override)
	Key  string // dotted key, when known
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	msg := e.Msg
	if e.Key != "" {
		// Messages often start with the key's last element ("p_max = 3,
		// must be..."); print the full key once.
		msg = withKey(e.Key, msg)
	}
	b.WriteString(msg)
	return b.String()
}

// withKey makes msg start with the full key: a message that starts with the
// key's tail (a section-relative key such as "trains[0].pulses = 0") gets
// the rest of it, other messages get "key: " in front.
func withKey(key, msg string) string {
	for tail := key; ; {
		if strings.HasPrefix(msg, tail+" ") || strings.HasPrefix(msg, tail+":") {
			return key[:len(key)-len(tail)] + msg
		}
		i := strings.IndexByte(tail, '.')
		if i < 0 {
			return key + ": " + msg
		}
		tail = tail[i+1:]
	}
}

func parse(name string, data []byte, sets []string, base *Config) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		var line int
		if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
			msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
		}
		return nil, &Error{File: name, Line: line, Msg: msg}
	}
	if doc.Kind == 0 { // empty file
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "a config must be a mapping of sections (culture, synapses, drive, simulation, outputs)"}
	}
	// What the file itself says of the culture's size, before overrides.
	fileN, fileS := nodeAt(root, "culture.n_neurons"), nodeAt(root, "culture.substrate_um")
	setBy := map[string]string{} // dotted key -> the override that set it
	for _, s := range sets {
		key, err := applySet(root, s)
		if err != nil {
			return nil, &Error{File: "-set " + s, Msg: err.Error()}
		}
		setBy[key] = s
	}
	if err := checkKeys(name, root, reflect.TypeOf(Config{}), ""); err != nil {
		return nil, err
	}
	cfg := &Config{}
	if base != nil {
		*cfg = base.clone()
	}
	lines := map[string]int{}
	indexLines(root, "", lines)
	if err := root.Decode(cfg); err != nil {
		return nil, decodeError(name, err, lines, setBy)
	}
	if base != nil {
		keepDensity(cfg, base, fileN, fileS, setBy)
	}
	if err := cfg.validate(); err != nil {
		var pe *pathError
		if !errors.As(err, &pe) {
			return nil, &Error{File: name, Msg: err.Error()}
		}
		for k, s := range setBy {
			if k == pe.path || strings.HasPrefix(pe.path, k+".") || strings.HasPrefix(pe.path, k+"[") || strings.HasPrefix(k, pe.path+".") {
				return nil, &Error{File: "-set " + s, Key: pe.path, Msg: pe.msg}
			}
		}
		return nil, &Error{File: name, Line: lineOf(lines, pe.path), Key: pe.path, Msg: pe.msg}
	}
	return cfg, nil
}

// keepDensity grows or shrinks the substrate with the number of neurons
// when a layer sets culture.n_neurons without culture.substrate_um, so
// that a larger culture is the same tissue over a larger area (density,
// and with it synapses per neuron, unchanged). The reference is the layer
// below: the file over the defaults, or the overrides over the file. A
// layer that sets the substrate chooses the density itself.
func keepDensity(cfg, base *Config, fileN, fileS *yaml.Node, setBy map[string]string) {
	_, setN := setBy["culture.n_neurons"]
	_, setS := setBy["culture.substrate_um"]
	_, setC := setBy["culture"]
	if setS || setC {
		return
	}
	refN, refS := base.Culture.NNeurons, base.Culture.SubstrateUm
	switch {
	case setN:
		if fileN != nil && fileN.Decode(&refN) != nil {
			return
		}
		if fileS != nil && fileS.Decode(&refS) != nil {
			return
		}
	case fileN != nil && fileS == nil:
	default:
		return
	}
	if refN == cfg.Culture.NNeurons || refN <= 0 || cfg.Culture.NNeurons <= 0 || len(refS) != 2 {
		return
	}
	n := cfg.Culture.NNeurons
	cfg.Culture.NNeurons, cfg.Culture.SubstrateUm = refN, slices.Clone(refS)
	cfg.Resize(n)
}

// nodeAt returns the value node of a dotted key, or nil.
func nodeAt(n *yaml.Node, key string) *yaml.Node {
	for _, p := range strings.Split(key, ".") {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for k := 0; k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == p {
				next = n.Content[k+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// decodeError rewrites yaml.v3's type errors ("line 4: cannot unmarshal
// !!str `abc` into float64") with the file and key, or the override.
func decodeError(name string, err error, lines map[string]int, setBy map[string]string) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	msg := te.Errors[0]
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
		msg = strings.TrimSpace(msg[strings.IndexByte(msg, ':')+1:])
	}
	key := ""
	for k, l := range lines {
		if l == line && (key == "" || len(k) > len(key)) {
			key = k
		}
	}
	if line == 0 {
		for k, s := range setBy {
			return &Error{File: "-set " + s, Key: k, Msg: msg}
		}
	}
	return &Error{File: name, Line: line, Key: key, Msg: msg}
}

// clone deep-copies the parts of a config that decoding could share.
func (c Config) clone() Config {
	c.Culture.SubstrateUm = slices.Clone(c.Culture.SubstrateUm)
	c.Culture.Types = slices.Clone(c.Culture.Types)
	c.Outputs.Probes = slices.Clone(c.Outputs.Probes)
	c.Drugs = slices.Clone(c.Drugs)
	c.MEA.CenterUm = slices.Clone(c.MEA.CenterUm)
	c.MEA.ElectrodesUm = slices.Clone(c.MEA.ElectrodesUm)
	c.MEA.Routing.Electrodes = slices.Clone(c.MEA.Routing.Electrodes)
	c.MEA.Stimulation.Trains = slices.Clone(c.MEA.Stimulation.Trains)
	if c.Pong != nil {
		p := c.Pong.clone()
		c.Pong = &p
	}
	if c.Plasticity.STP.Projections != nil {
		m := make(map[string]STPParams, len(c.Plasticity.STP.Projections))
		for k, v := range c.Plasticity.STP.Projections {
			m[k] = v
		}
		c.Plasticity.STP.Projections = m
	}
	if c.Neurons != nil {
		m := make(map[string]NeuronType, len(c.Neurons))
		for k, v := range c.Neurons {
			m[k] = v
		}
		c.Neurons = m
	}
	return c
}

// fieldsOf lists the YAML keys of a struct type.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		out[tag] = f.Type
	}
	return out
}

func sortedKeys(m map[string]reflect.Type) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}

var fractionsType = reflect.TypeOf(Fractions{})

// checkKeys reports the first key of node that the schema type t lacks.
func checkKeys(file string, node *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == fractionsType {
		return nil // decoding checks types
	}
	if node.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice {
		for i, item := range node.Content {
			if err := checkKeys(file, item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if node.Kind != yaml.MappingNode {
		return nil
	}
	switch t.Kind() {
	case reflect.Map:
		for i := 0; i+1 < len(node.Content); i += 2 {
			p := join(path, node.Content[i].Value)
			if err := checkKeys(file, node.Content[i+1], t.Elem(), p); err != nil {
				return err
			}
		}
	case reflect.Struct:
		fields := fieldsOf(t)
		for i := 0; i+1 < len(node.Content); i += 2 {
			k := node.Content[i]
			ft, ok := fields[k.Value]
			p := join(path, k.Value)
			if !ok {
				where := "at the top level"
				if path != "" {
					where = "in " + path
				}
				return &Error{File: file, Line: k.Line, Key: p,
					Msg: fmt.Sprintf("unknown key %q %s (known: %s)", k.Value, where, strings.Join(sortedKeys(fields), ", "))}
			}
			if err := checkKeys(file, node.Content[i+1], ft, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// indexLines records the line of every key.
func indexLines(node *yaml.Node, path string, lines map[string]int) {
	if node.Kind == yaml.SequenceNode {
		for i, item := range node.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			lines[p] = item.Line
			indexLines(item, p, lines)
		}
		return
	}
	if node.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		p := join(path, node.Content[i].Value)
		lines[p] = node.Content[i].Line
		indexLines(node.Content[i+1], p, lines)
	}
}

// lineOf returns the line of a key or of its closest written ancestor.
func lineOf(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// applySet sets one dotted key to a YAML value, creating sections as
// needed, and returns the key.
func applySet(root *yaml.Node, set string) (string, error) {
	key, val, ok := strings.Cut(set, "=")
	if !ok || key == "" {
		return "", errors.New("want key=value, e.g. culture.n_neurons=5000")
	}
	parts := strings.Split(key, ".")
	t := reflect.TypeOf(Config{})
	for i, p := range parts {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == fractionsType:
			if i != len(parts)-1 {
				return "", fmt.Errorf("%s is a fraction, not a section", strings.Join(parts[:i+1], "."))
			}
			t = reflect.TypeOf(0.0)
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			fields := fieldsOf(t)
			ft, ok := fields[p]
			if !ok {
				where := "at the top level"
				if i > 0 {
					where = "in " + strings.Join(parts[:i], ".")
				}
				return "", fmt.Errorf("unknown key %q %s (known: %s)", p, where, strings.Join(sortedKeys(fields), ", "))
			}
			t = ft
		default:
			return "", fmt.Errorf("%s is a value, not a section", strings.Join(parts[:i], "."))
		}
	}
	var vdoc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &vdoc); err != nil {
		return "", fmt.Errorf("bad value %q: %v", val, err)
	}
	vnode := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	if len(vdoc.Content) > 0 {
		vnode = vdoc.Content[0]
	}
	zeroLines(vnode) // line 0 marks values that come from an override
	n := root
	for i, p := range parts {
		var child *yaml.Node
		for k := 0; k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == p {
				child = n.Content[k+1]
				if i == len(parts)-1 {
					n.Content[k+1] = vnode
				}
				break
			}
		}
		if child == nil {
			child = vnode
			if i < len(parts)-1 {
				child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p}, child)
		}
		if i < len(parts)-1 && child.Kind != yaml.MappingNode {
			return "", fmt.Errorf("%s is a value, not a section", strings.Join(parts[:i+1], "."))
		}
		n = child
	}
	return key, nil
}

func zeroLines(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		zeroLines(c)
	}
}

// YAML returns the fully resolved config as YAML.
func (c *Config) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

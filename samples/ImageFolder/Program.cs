// Trains a small CNN on a folder of PNG files (root/<class>/<image>), saves it with its image preprocessing, then
// classifies one file with the saved model. With no argument it first draws a folder of digits from the MNIST subset
// built into the library; give your own folder (and optionally an image to classify) as arguments.
using Backprop;
using Backprop.Data;
using Backprop.Images;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using SkiaSharp;

string root = args.Length > 0 ? args[0] : WriteDigitFolder(Path.Combine(Path.GetTempPath(), "backprop-digits"));

// The folder: classes from its subfolders, 20% of each held out (seeded), every image 28×28 grey (the size and
// colour the files share), augmented with small shifts while training.
var data = ImageFolder.Load(root, new ImageFolderOptions { Augmentation = ImageAugmentation.Shift, Seed = 1 });
Console.WriteLine($"{data.Train.Count} training and {data.Validation.Count} validation images of {data.Transform}, classes {string.Join(", ", data.ClassNames)}");

// The first layer scales pixels 0–255 to [0, 1] and normalises them with the training images' mean and std, so the
// saved model (and its ONNX export) takes raw pixels.
int channels = data.Transform.Channels, height = data.Transform.Height, width = data.Transform.Width;
Rng.ManualSeed(1);
var model = new Sequential(
    data.Normalization(),
    new Conv2d(channels, 8, kernelSize: 3, padding: 1), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, kernelSize: 3, padding: 1), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Dense(16 * (height / 4) * (width / 4), data.ClassNames.Count));
model.Fit(data.Train, new FitOptions
{
    Epochs = 3,
    BatchSize = 64,
    Loss = new CrossEntropyLoss(),
    Optimizer = new Sgd(model.Parameters(), learningRate: 0.01, momentum: 0.9),
    Validation = data.Validation,
    OnEpochEnd = e => Console.WriteLine($"epoch {e.Epoch}: loss {e.Loss:F4}, validation accuracy {e.ValidationAccuracy:P1}"),
});
string modelPath = Path.Combine(Path.GetTempPath(), "backprop-digits.safetensors");
model.Save(modelPath, new ModelDescription { InputShape = data.Transform.Shape, ClassNames = data.ClassNames, Preprocessing = data.Transform.ToPreprocessing() });

// Classify one file as `backprop predict --model … --data file.png` would: the transform comes from the model file.
string file = args.Length > 1 ? args[1] : data.Validation.Files[0];
var saved = ModelDescription.Read(modelPath)!;
var transform = ImageTransform.FromPreprocessing(saved.Preprocessing!, modelPath);
var input = Tensor.FromArray(transform.Load(file), [1, .. transform.Shape]);
var probabilities = Model.Load(modelPath).Predict(input).Softmax().ToFloatArray();
int best = Array.IndexOf(probabilities, probabilities.Max());
Console.WriteLine($"{file}: {saved.ClassNames![best]} ({probabilities[best]:P1})");

static string WriteDigitFolder(string root)
{
    var mnist = Datasets.Mnist10k().Train;
    var written = new int[10];
    for (int i = 0; i < mnist.Count; i++)
    {
        int digit = mnist.Labels[i];
        if (written[digit] == 300) continue;
        string folder = Directory.CreateDirectory(Path.Combine(root, digit.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        mnist.Images.Image(i).CopyTo(bitmap.GetPixelSpan());
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.Combine(folder, $"{written[digit]++:D4}.png"), png.ToArray());
    }
    Console.WriteLine($"Wrote 3,000 MNIST digits as PNG files to {root}");
    return root;
}
